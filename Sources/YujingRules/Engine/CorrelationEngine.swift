import YujingCore

/// The event-time correlation engine: a pure, deterministic state machine.
///
/// Feed it events in (roughly) arrival order; it never reads a clock. Windows run on event time. The watermark is
/// the maximum event time seen minus the allowed lateness; an event older than the watermark is counted in
/// ``EngineMetrics/lateEvents`` and dropped. A rule emits a ``WarningSignal`` when a key first reaches a tier and
/// again when it reaches a higher one, not once per event.
///
/// The engine is a reference type owned by one task (the daemon keeps it inside an actor); it is not `Sendable`.
public final class CorrelationEngine {
    /// The rules evaluated (enabled ones only).
    public let rules: RuleSet
    /// Limits in force.
    public let configuration: EngineConfiguration
    private var evaluators: [any RuleEvaluator]
    private var baseMetrics = EngineMetrics()
    /// Latest event time seen, epoch ms.
    public private(set) var maxEventTimeMillis: Int64?
    /// Current watermark, epoch ms (`nil` before the first event).
    public private(set) var watermarkMillis: Int64?

    /// Creates an engine.
    /// - Parameters:
    ///   - rules: The rules; disabled rules are ignored.
    ///   - configuration: Limits and lateness.
    ///   - scopeOracle: Catalogue for `scope` rules; without one, scope rules never fire.
    public init(
        rules: RuleSet, configuration: EngineConfiguration = EngineConfiguration(),
        scopeOracle: (any ScopeOracle)? = nil
    ) {
        self.rules = rules
        self.configuration = configuration
        evaluators = rules.enabledRules.map { definition -> any RuleEvaluator in
            let rule = CompiledRule(definition)
            switch definition.kind {
            case .match, .threshold, .sum, .scope:
                return WindowEvaluator(rule: rule, configuration: configuration, oracle: scopeOracle)
            case .distinct: return DistinctEvaluator(rule: rule, configuration: configuration)
            case .sequence: return SequenceEvaluator(rule: rule, configuration: configuration)
            case .absence: return AbsenceEvaluator(rule: rule, configuration: configuration)
            case .baseline: return BaselineEvaluator(rule: rule, configuration: configuration)
            }
        }
    }

    /// Counters, including state dropped by caps and keys evicted.
    public var metrics: EngineMetrics {
        var metrics = baseMetrics
        for evaluator in evaluators {
            metrics.droppedStateCount += evaluator.dropped
            metrics.evictedKeys += evaluator.evicted
        }
        return metrics
    }

    /// Keys held across all rules.
    public var stateKeyCount: Int { evaluators.reduce(0) { $0 + $1.keyCount } }

    /// Keys held by one rule.
    /// - Parameter ruleID: Rule id.
    /// - Returns: The number of keys, or `nil` when the rule is not evaluated.
    public func keyCount(ruleID: String) -> Int? {
        evaluators.first { $0.rule.definition.id == ruleID }?.keyCount
    }

    /// Evaluates one event.
    /// - Parameter event: The event.
    /// - Returns: Signals raised by it (usually none).
    public func process(_ event: EngineEvent) -> [WarningSignal] {
        var signals: [WarningSignal] = []
        process(event, into: &signals)
        return signals
    }

    /// Evaluates one event, appending raised signals (the allocation-free path for bulk replay).
    /// - Parameters:
    ///   - event: The event.
    ///   - signals: Where signals are appended.
    public func process(_ event: EngineEvent, into signals: inout [WarningSignal]) {
        let t = event.timeMillis
        if let watermark = watermarkMillis, t < watermark {
            baseMetrics.lateEvents += 1
            return
        }
        let before = signals.count
        if t > (maxEventTimeMillis ?? .min) {
            maxEventTimeMillis = t
            moveWatermark(to: t.minusClamped(configuration.allowedLatenessMillis), into: &signals)
        }
        let watermark = watermarkMillis ?? .min
        for evaluator in evaluators {
            evaluator.process(event, watermark: watermark, into: &signals)
        }
        baseMetrics.eventsProcessed += 1
        baseMetrics.ruleEvaluations += evaluators.count
        baseMetrics.signalsEmitted += signals.count - before
        if baseMetrics.eventsProcessed & 1023 == 0 { enforceGlobalCap() }
    }

    /// Keeps the keys of all rules together under ``EngineConfiguration/maxTotalKeys`` (checked every 1,024
    /// events), shedding from the rules that hold most.
    private func enforceGlobalCap() {
        var total = stateKeyCount
        var rounds = 0
        while total > configuration.maxTotalKeys, rounds < 64 {
            guard let largest = evaluators.max(by: { $0.keyCount < $1.keyCount }), largest.keyCount > 0 else { return }
            total -= largest.shed()
            rounds += 1
        }
    }

    /// Moves the watermark forward as if no event older than `timeMillis` can still arrive. The daemon calls this
    /// with its clock when input is quiet, so that `absence` rules fire; replay never needs to.
    /// - Parameters:
    ///   - timeMillis: The new watermark; ignored when not ahead of the current one.
    ///   - signals: Where signals (absence, mostly) are appended.
    public func advanceWatermark(to timeMillis: Int64, into signals: inout [WarningSignal]) {
        let before = signals.count
        moveWatermark(to: timeMillis, into: &signals)
        baseMetrics.signalsEmitted += signals.count - before
    }

    /// End of input: moves the watermark to the latest event time (no more late events will come).
    /// - Parameter signals: Where signals are appended.
    public func finish(into signals: inout [WarningSignal]) {
        guard let maximum = maxEventTimeMillis else { return }
        advanceWatermark(to: maximum, into: &signals)
    }

    private func moveWatermark(to timeMillis: Int64, into signals: inout [WarningSignal]) {
        guard timeMillis > (watermarkMillis ?? .min) else { return }
        watermarkMillis = timeMillis
        for evaluator in evaluators {
            evaluator.advance(to: timeMillis, into: &signals)
        }
    }

    /// The complete state as a Codable value.
    /// - Returns: A snapshot.
    public func snapshot() -> EngineSnapshot {
        EngineSnapshot(
            version: 1, maxEventTimeMillis: maxEventTimeMillis, watermarkMillis: watermarkMillis, metrics: metrics,
            rules: evaluators.map {
                EngineSnapshot.Rule(
                    id: $0.rule.definition.id, definitionHash: $0.rule.definitionHash, state: $0.exportState())
            })
    }

    /// Restores a snapshot. Rules whose definition changed (or that are gone) start empty.
    /// - Parameter snapshot: A snapshot from ``snapshot()``.
    /// - Returns: Ids of the rules whose state was restored.
    @discardableResult
    public func restore(_ snapshot: EngineSnapshot) -> [String] {
        maxEventTimeMillis = snapshot.maxEventTimeMillis
        watermarkMillis = snapshot.watermarkMillis
        var metrics = snapshot.metrics
        metrics.droppedStateCount = 0
        metrics.evictedKeys = 0
        baseMetrics = metrics
        var restored: [String] = []
        let byID = Dictionary(snapshot.rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for evaluator in evaluators {
            let rule = evaluator.rule
            guard let saved = byID[rule.definition.id], saved.definitionHash == rule.definitionHash else { continue }
            evaluator.importState(saved.state)
            restored.append(rule.definition.id)
        }
        // Carried-over cap and eviction counts.
        baseMetrics.droppedStateCount = snapshot.metrics.droppedStateCount
        baseMetrics.evictedKeys = snapshot.metrics.evictedKeys
        return restored
    }
}
