import YujingCore

/// `sequence` rules: a `first` event then a `then` event with the same key within the window (in event time,
/// whatever order they arrive in).
final class SequenceEvaluator: RuleEvaluator {
    let rule: CompiledRule
    let configuration: EngineConfiguration
    var states: [String: SequenceKeyState] = [:]
    var dropped = 0
    var evicted = 0
    var nextSweep: Int64 = .min
    var keyCount: Int { states.count }

    init(rule: CompiledRule, configuration: EngineConfiguration) {
        self.rule = rule
        self.configuration = configuration
    }

    func process(_ event: EngineEvent, watermark: Int64, into signals: inout [WarningSignal]) {
        guard rule.passes(event) else { return }
        let isFirst = CompiledRule.all(rule.first, event)
        let isThen = !isFirst && CompiledRule.all(rule.then, event)
        guard isFirst || isThen, let key = rule.key(event) else { return }
        if states.count >= configuration.maxKeysPerRule, states[key] == nil {
            sweep(watermark)
            dropped += StateCap.makeRoom(&states, cap: configuration.maxKeysPerRule) { $0.lastTime }
        }
        let t = event.timeMillis
        let window = rule.window
        var signal: WarningSignal?
        func fire(_ state: inout SequenceKeyState, startsAt: Int64) {
            let tier = rule.tierIndex(Double(state.count))
            guard tier > state.firedTier else { return }
            let previous = state.firedTier
            state.firedTier = tier
            signal = rule.signal(
                key: key, event: event, tier: tier, previousTier: previous, startsAt: startsAt, count: state.count,
                value: Double(state.count),
                detail: "second step \(DurationTextGap.text(state.thenTime - state.firedFor)) after the first")
        }
        Self.modify(&states[key, default: SequenceKeyState()]) { state in
            state.lastTime = max(state.lastTime, t)
            if isFirst {
                state.firstTime = max(state.firstTime, t)
                // A second step already seen later in event time (it arrived first).
                if state.thenTime != .min, state.thenTime >= t, state.thenTime - t <= window, state.firedFor != t {
                    state.firedFor = t
                    state.count = 1
                    state.firedTier = -1
                    fire(&state, startsAt: state.thenTime)
                }
            } else {
                state.thenTime = max(state.thenTime, t)
                if state.firstTime != .min, state.firstTime <= t, t - state.firstTime <= window {
                    if state.firedFor == state.firstTime {
                        state.count += 1
                    } else {
                        state.firedFor = state.firstTime
                        state.count = 1
                        state.firedTier = -1
                    }
                    fire(&state, startsAt: t)
                }
            }
        }
        if let signal { signals.append(signal) }
    }

    @inline(__always)
    private static func modify(_ state: inout SequenceKeyState, _ body: (inout SequenceKeyState) -> Void) {
        body(&state)
    }

    func shed() -> Int {
        let removed = StateCap.makeRoom(&states, cap: states.count) { $0.lastTime }
        dropped += removed
        return removed
    }

    func advance(to watermark: Int64, into signals: inout [WarningSignal]) {
        guard watermark >= nextSweep else { return }
        sweep(watermark)
    }

    private func sweep(_ watermark: Int64) {
        let cutoff = watermark.minusClamped(rule.window)
        evicted += StateCap.evict(&states) { $0.lastTime < cutoff }
        nextSweep = watermark.plusClamped(max(rule.window * 2, 60_000))
    }

    func exportState() -> RuleState { .sequence(states) }

    func importState(_ state: RuleState) {
        if case .sequence(let restored) = state { states = restored }
    }
}

/// Formats a gap for evidence text.
enum DurationTextGap {
    static func text(_ millis: Int64) -> String {
        guard millis >= 0 else { return "?" }
        if millis < 1_000 { return "\(millis)ms" }
        if millis < 120_000 { return "\(millis / 1_000)s" }
        if millis < 7_200_000 { return "\(millis / 60_000)m" }
        return "\(millis / 3_600_000)h"
    }
}
