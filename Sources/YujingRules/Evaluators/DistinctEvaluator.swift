import YujingCore

/// `distinct` rules: distinct values of a field per key within the window.
final class DistinctEvaluator: RuleEvaluator {
    let rule: CompiledRule
    let field: EventField
    let configuration: EngineConfiguration
    var states: [String: DistinctKeyState] = [:]
    var dropped = 0
    var evicted = 0
    var nextSweep: Int64 = .min
    var keyCount: Int { states.count }

    init(rule: CompiledRule, configuration: EngineConfiguration) {
        self.rule = rule
        self.configuration = configuration
        field = rule.definition.field ?? .ip
    }

    func process(_ event: EngineEvent, watermark: Int64, into signals: inout [WarningSignal]) {
        guard rule.passes(event), let key = rule.key(event), let value = event.value(of: field)?.text else { return }
        if states.count >= configuration.maxKeysPerRule, states[key] == nil {
            sweep(watermark)
            dropped += StateCap.makeRoom(&states, cap: configuration.maxKeysPerRule) { $0.lastTime }
        }
        let t = event.timeMillis
        let cutoff = watermark.minusClamped(rule.window)
        var signal: WarningSignal?
        modify(&states[key, default: DistinctKeyState()]) { state in
            let before = state.values.count
            Self.raise(&state.values[value, default: t], to: t)
            if state.values.count > before, before >= configuration.maxEntriesPerKey {
                state.values.removeValue(forKey: value)
                dropped += 1
            }
            state.lastTime = max(state.lastTime, t)
            if t.minusClamped(state.lastTrim) >= max(rule.window / 8, 1_000) {
                state.values = state.values.filter { $0.value >= cutoff }
                state.lastTrim = t
            }
            let upperEstimate = Double(state.values.count)
            let possible = rule.tierIndex(upperEstimate)
            if possible < 0 {
                state.firedTier = -1
                return
            }
            guard possible > state.firedTier else { return }
            let from = t.minusClamped(rule.window)
            let exact = state.values.values.reduce(0) { $1 >= from ? $0 + 1 : $0 }
            let tier = rule.tierIndex(Double(exact))
            if tier > state.firedTier {
                let previous = state.firedTier
                state.firedTier = tier
                signal = rule.signal(
                    key: key, event: event, tier: tier, previousTier: previous, startsAt: t, count: exact,
                    value: Double(exact), detail: "\(exact) distinct \(field.rawValue) values")
            }
        }
        if let signal { signals.append(signal) }
    }

    @inline(__always)
    private static func raise(_ time: inout Int64, to t: Int64) {
        if t > time { time = t }
    }

    @inline(__always)
    private func modify(_ state: inout DistinctKeyState, _ body: (inout DistinctKeyState) -> Void) {
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

    func exportState() -> RuleState { .distinct(states) }

    func importState(_ state: RuleState) {
        if case .distinct(let restored) = state { states = restored }
    }
}
