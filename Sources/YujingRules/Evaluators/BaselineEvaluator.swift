import Foundation
import YujingCore

/// `baseline` rules: per-key counts in fixed buckets compared with the key's own EWMA mean and deviation.
final class BaselineEvaluator: RuleEvaluator {
    let rule: CompiledRule
    let parameters: BaselineParameters
    let configuration: EngineConfiguration
    var states: [String: BaselineKeyState] = [:]
    var dropped = 0
    var evicted = 0
    var nextSweep: Int64 = .min
    var keyCount: Int { states.count }

    init(rule: CompiledRule, configuration: EngineConfiguration) {
        self.rule = rule
        self.configuration = configuration
        parameters = rule.definition.baseline ?? BaselineParameters(bucketMillis: rule.window)
    }

    func process(_ event: EngineEvent, watermark: Int64, into signals: inout [WarningSignal]) {
        guard rule.passes(event), let key = rule.key(event) else { return }
        if states.count >= configuration.maxKeysPerRule, states[key] == nil {
            dropped += StateCap.makeRoom(&states, cap: configuration.maxKeysPerRule) { $0.lastTime }
        }
        let t = event.timeMillis
        let bucket = parameters.bucketMillis
        let start = t - ((t % bucket) + bucket) % bucket
        if let signal = update(&states[key, default: BaselineKeyState(bucketStart: start)], event, key, t, start) {
            signals.append(signal)
        }
    }

    private func update(
        _ state: inout BaselineKeyState, _ event: EngineEvent, _ key: String, _ t: Int64, _ start: Int64
    )
        -> WarningSignal?
    {
        let bucket = parameters.bucketMillis
        if start > state.bucketStart {
            fold(&state, state.bucketCount)
            let gaps = min((start - state.bucketStart) / bucket - 1, 10_000)
            var k: Int64 = 0
            while k < gaps {
                fold(&state, 0)
                k += 1
            }
            state.bucketStart = start
            state.bucketCount = 0
            state.firedTier = -1
        } else if start < state.bucketStart {
            // Late into a closed bucket: its history is already folded.
            return nil
        }
        state.bucketCount += 1
        state.lastTime = max(state.lastTime, t)
        guard state.folded >= parameters.warmupBuckets, state.bucketCount >= parameters.minimum else { return nil }
        let deviation = state.variance.squareRoot()
        let limit = state.mean + parameters.sigmas * deviation
        guard state.bucketCount > limit else { return nil }
        let tier = rule.tierIndex(state.bucketCount)
        guard tier > state.firedTier else { return nil }
        let previous = state.firedTier
        state.firedTier = tier
        let mean = (state.mean * 10).rounded() / 10
        let sigma = (deviation * 10).rounded() / 10
        return
            rule.signal(
                key: key, event: event, tier: tier, previousTier: previous, startsAt: t,
                count: Int(state.bucketCount), value: state.bucketCount,
                detail: "bucket count \(Int(state.bucketCount)) vs mean \(mean) ± \(sigma)"
                    + " over \(state.folded) buckets")
    }

    private func fold(_ state: inout BaselineKeyState, _ value: Double) {
        if state.folded == 0 {
            state.mean = value
            state.variance = 0
        } else {
            let alpha = parameters.alpha
            let difference = value - state.mean
            let increment = alpha * difference
            state.mean += increment
            state.variance = (1 - alpha) * (state.variance + difference * increment)
        }
        state.folded += 1
    }

    func shed() -> Int {
        let removed = StateCap.makeRoom(&states, cap: states.count) { $0.lastTime }
        dropped += removed
        return removed
    }

    func advance(to watermark: Int64, into signals: inout [WarningSignal]) {
        guard watermark >= nextSweep else { return }
        let cutoff = watermark.minusClamped(configuration.idleRetentionMillis)
        evicted += StateCap.evict(&states) { $0.lastTime < cutoff }
        nextSweep = watermark.plusClamped(parameters.bucketMillis)
    }

    func exportState() -> RuleState { .baseline(states) }

    func importState(_ state: RuleState) {
        if case .baseline(let restored) = state { states = restored }
    }
}
