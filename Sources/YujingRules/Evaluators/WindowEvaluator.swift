import YujingCore

/// `match`, `threshold`, `sum` and `scope` rules: a measure per key over a sliding window of event time.
///
/// Each key keeps its event times sorted (appends in the usual in-order case; a binary insertion for events that
/// arrive late but within the allowed lateness) and, for sums, running totals, so each event costs O(log n).
final class WindowEvaluator: RuleEvaluator {
    enum Measure {
        case count
        case sum(EventField)
        case peak(EventField)
    }

    let rule: CompiledRule
    let measure: Measure
    let configuration: EngineConfiguration
    let oracle: (any ScopeOracle)?
    var states: [String: WindowKeyState] = [:]
    var dropped = 0
    var evicted = 0
    var nextSweep: Int64 = .min
    var keyCount: Int { states.count }

    init(rule: CompiledRule, configuration: EngineConfiguration, oracle: (any ScopeOracle)?) {
        self.rule = rule
        self.configuration = configuration
        self.oracle = oracle
        switch rule.definition.kind {
        case .sum: measure = .sum(rule.definition.field ?? .bytes)
        case .match: measure = rule.definition.field.map(Measure.peak) ?? .count
        default: measure = .count
        }
    }

    func process(_ event: EngineEvent, watermark: Int64, into signals: inout [WarningSignal]) {
        guard rule.passes(event) else { return }
        if let scope = rule.definition.scope, !violatesScope(event, scope) { return }
        guard let key = rule.key(event) else { return }
        var value = 1.0
        switch measure {
        case .count: break
        case .sum(let field), .peak(let field):
            guard let number = event.value(of: field)?.number else { return }
            value = number
        }
        if states.count >= configuration.maxKeysPerRule, states[key] == nil {
            sweep(watermark)
            dropped += StateCap.makeRoom(&states, cap: configuration.maxKeysPerRule) { $0.lastTime }
        }
        let t = event.timeMillis
        let cutoff = watermark.minusClamped(rule.window)
        let crossing = update(&states[key, default: WindowKeyState()], t: t, value: value, cutoff: cutoff)
        if let crossing {
            signals.append(
                rule.signal(
                    key: key, event: event, tier: crossing.tier, previousTier: crossing.previous, startsAt: t,
                    count: crossing.count, value: crossing.measured))
        }
    }

    /// A key reaching a new tier.
    struct Crossing {
        var tier: Int
        var previous: Int
        var count: Int
        var measured: Double
    }

    /// Inserts the event into the key's window and reports when a new tier is reached.
    @inline(__always)
    private func update(_ state: inout WindowKeyState, t: Int64, value: Double, cutoff: Int64) -> Crossing? {
        let summing: Bool
        if case .sum = measure { summing = true } else { summing = false }
        // Expire entries no accepted event can share a window with.
        while state.head < state.times.count, state.times[state.head] < cutoff { state.head += 1 }
        if state.head == state.times.count, state.firedTier >= 0, state.lastTime < cutoff {
            state.firedTier = -1
            state.episodeMax = 0
        }
        let inOrder = state.head == state.times.count || t >= state.times[state.times.count - 1]
        var measured: Double
        var count: Int
        if inOrder {
            if summing {
                let previous = state.cumulative.last ?? state.cumulativeBase
                state.cumulative.append(previous + value)
            }
            state.times.append(t)
            let last = state.times.count - 1
            (count, measured) = windowEnding(at: last, state)
        } else {
            let position = Self.upperBound(state.times, state.head, state.times.count, t)
            state.times.insert(t, at: position)
            if summing {
                let before = position > 0 ? state.cumulative[position - 1] : state.cumulativeBase
                state.cumulative.insert(before + value, at: position)
                var k = position + 1
                while k < state.cumulative.count {
                    state.cumulative[k] += value
                    k += 1
                }
            }
            // The best window that contains t ends at t or at a later event within the window length.
            (count, measured) = windowEnding(at: position, state)
            var j = position + 1
            let limit = t.plusClamped(rule.window)
            while j < state.times.count, state.times[j] <= limit {
                let candidate = windowEnding(at: j, state)
                if candidate.1 > measured { (count, measured) = candidate }
                j += 1
            }
        }
        state.lastTime = max(state.lastTime, t)
        // Per-key entry cap.
        let live = state.times.count - state.head
        if live > configuration.maxEntriesPerKey {
            let overflow = live - configuration.maxEntriesPerKey
            state.head += overflow
            dropped += overflow
        }
        compact(&state)
        if case .peak = measure {
            state.episodeMax = max(state.episodeMax, value)
            measured = state.episodeMax
        }
        let tier = rule.tierIndex(measured)
        if tier > state.firedTier {
            let previous = state.firedTier
            state.firedTier = tier
            return Crossing(tier: tier, previous: previous, count: count, measured: measured)
        }
        // Only the newest window can end an episode: a late event says nothing about the present.
        if tier < 0, inOrder { state.firedTier = -1 }
        return nil
    }

    /// Count and measure of the window `[times[end] - W, times[end]]`.
    @inline(__always)
    private func windowEnding(at end: Int, _ state: WindowKeyState) -> (Int, Double) {
        let start = Self.lowerBound(state.times, state.head, end + 1, state.times[end].minusClamped(rule.window))
        let count = end - start + 1
        guard case .sum = measure else { return (count, Double(count)) }
        let before = start > 0 ? state.cumulative[start - 1] : state.cumulativeBase
        return (count, state.cumulative[end] - before)
    }

    private func compact(_ state: inout WindowKeyState) {
        guard state.head >= 1024, state.head * 2 >= state.times.count else { return }
        if !state.cumulative.isEmpty {
            state.cumulativeBase = state.cumulative[state.head - 1]
            state.cumulative.removeFirst(state.head)
        }
        state.times.removeFirst(state.head)
        state.head = 0
    }

    @inline(__always)
    static func lowerBound(_ times: [Int64], _ low: Int, _ high: Int, _ value: Int64) -> Int {
        var low = low
        var high = high
        while low < high {
            let mid = (low + high) >> 1
            if times[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    @inline(__always)
    static func upperBound(_ times: [Int64], _ low: Int, _ high: Int, _ value: Int64) -> Int {
        var low = low
        var high = high
        while low < high {
            let mid = (low + high) >> 1
            if times[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func violatesScope(_ event: EngineEvent, _ check: ScopeCheck) -> Bool {
        guard let oracle, let subject = event.subject else { return false }
        switch check {
        case .restriction:
            return oracle.isRestricted(subject: subject, atMillis: event.timeMillis)
        case .approval:
            guard case .access(let access) = event, let dataset = access.dataset,
                oracle.openCategory(ofDataset: dataset) == .conditional
            else { return false }
            return !oracle.hasValidApproval(subject: subject, dataset: dataset, atMillis: event.timeMillis)
        }
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

    func exportState() -> RuleState { .window(states) }

    func importState(_ state: RuleState) {
        if case .window(let restored) = state { states = restored }
    }
}
