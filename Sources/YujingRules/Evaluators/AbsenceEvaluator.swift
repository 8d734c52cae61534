import YujingCore

/// `absence` rules: a key whose expected event has not been seen for longer than the window, judged against the
/// watermark (so a replay fires exactly where the log shows the silence, and late events can still arrive).
///
/// Tier minimums are minutes of silence; the default tier fires as soon as the window is exceeded.
final class AbsenceEvaluator: RuleEvaluator {
    let rule: CompiledRule
    let configuration: EngineConfiguration
    var states: [String: AbsenceKeyState] = [:]
    var dropped = 0
    var evicted = 0
    var nextCheck: Int64 = .max
    var started = false
    var keyCount: Int { states.count }

    init(rule: CompiledRule, configuration: EngineConfiguration) {
        self.rule = rule
        self.configuration = configuration
    }

    func process(_ event: EngineEvent, watermark: Int64, into signals: inout [WarningSignal]) {
        let t = event.timeMillis
        if !started {
            started = true
            // Expected keys count as seen when observation starts.
            for key in rule.definition.expectedKeys where states[key] == nil {
                states[key] = AbsenceKeyState(lastSeen: t)
                nextCheck = min(nextCheck, deadline(AbsenceKeyState(lastSeen: t)))
            }
        }
        guard rule.passes(event), let key = rule.key(event) else { return }
        if states.count >= configuration.maxKeysPerRule, states[key] == nil {
            dropped += StateCap.makeRoom(&states, cap: configuration.maxKeysPerRule) { $0.lastSeen }
        }
        var state = states[key] ?? AbsenceKeyState(lastSeen: t)
        if t > state.lastSeen {
            state.lastSeen = t
            state.firedTier = -1
        }
        states[key] = state
        nextCheck = min(nextCheck, deadline(state))
    }

    /// Silence (ms) at which the next tier of this key would fire.
    private func deadline(_ state: AbsenceKeyState) -> Int64 {
        let next = state.firedTier + 1
        guard next < rule.minimums.count else { return .max }
        let silence = max(rule.window, Int64(rule.minimums[next] * 60_000))
        return state.lastSeen.plusClamped(silence)
    }

    func shed() -> Int {
        let removed = StateCap.makeRoom(&states, cap: states.count) { $0.lastSeen }
        dropped += removed
        return removed
    }

    func advance(to watermark: Int64, into signals: inout [WarningSignal]) {
        guard watermark > nextCheck else { return }
        var next: Int64 = .max
        var remove: [String] = []
        for key in states.keys.sorted() {
            guard var state = states[key] else { continue }
            if watermark.minusClamped(state.lastSeen) > configuration.idleRetentionMillis {
                remove.append(key)
                continue
            }
            let silence = watermark - state.lastSeen
            if silence > rule.window {
                let tier = rule.tierIndex(Double(silence / 60_000))
                if tier > state.firedTier {
                    let previous = state.firedTier
                    state.firedTier = tier
                    let reached = max(rule.window, Int64(rule.minimums[max(tier, 0)] * 60_000))
                    signals.append(
                        rule.signal(
                            key: key, event: nil, tier: max(tier, 0), previousTier: previous,
                            startsAt: state.lastSeen.plusClamped(reached), count: 1, value: Double(silence / 60_000),
                            detail: "silent for \(DurationTextGap.text(silence))"))
                    states[key] = state
                }
            }
            next = min(next, deadline(state))
        }
        for key in remove { states.removeValue(forKey: key) }
        evicted += remove.count
        nextCheck = next
    }

    func exportState() -> RuleState { .absence(states) }

    func importState(_ state: RuleState) {
        guard case .absence(let restored) = state else { return }
        states = restored
        started = true
        nextCheck = restored.values.map(deadline).min() ?? .max
    }
}
