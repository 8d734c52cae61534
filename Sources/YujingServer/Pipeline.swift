import Foundation
import Logging
import YujingActions
import YujingCore
import YujingRules
import YujingStore

/// The ingest pipeline: an actor owning the correlation engine. Each batch is stored, then evaluated on event time;
/// raised signals become warnings (dedup, escalation, inhibition, silences) and notifications.
///
/// All writes of events and warnings go through this actor, so a snapshot's row cursor matches the engine state (a
/// snapshot first waits for the batches being stored).
public actor Pipeline {
    let database: YujingDatabase
    let metrics: ServerMetrics
    let dispatcher: NotificationDispatcher?
    let configuration: ServerConfiguration
    let logger: Logger
    var engine: CorrelationEngine
    var scope: StaticScopeCatalogue
    var lastAutoResolveWatermark: Int64 = .min
    /// One engine per running drill: drill events never mix with real state, and their warnings carry a
    /// `drill` label.
    var drillEngines: [String: CorrelationEngine] = [:]
    var drillOrder: [String] = []
    static let maxDrillEngines = 16
    /// Where new, escalated and reopened warnings go for response plans.
    var responseTriggers: AsyncStream<[ResponseTrigger]>.Continuation?
    /// Where batches are stored while the engine evaluates them (see ``ingest(_:nowMillis:)``).
    let storeQueue: BatchStoreQueue
    /// Batches evaluated whose storing has not finished, by agent and batch id: a retry that races its first
    /// attempt waits for that attempt's outcome instead of being evaluated twice.
    var inFlight: [BatchKey: StoreTicket] = [:]
    /// The rules in force.
    public private(set) var rules: RuleSet

    /// Creates the pipeline and rebuilds engine state (snapshot plus newer events, or recent stored events).
    /// - Parameters:
    ///   - database: Store.
    ///   - rules: Rules.
    ///   - configuration: Configuration.
    ///   - metrics: Metrics.
    ///   - dispatcher: Notification dispatcher, if any receiver is configured.
    ///   - logger: Logger.
    ///   - responseTriggers: Where warning changes go for response plans.
    /// - Throws: ``ServerError/store(_:)``.
    public init(
        database: YujingDatabase, rules: RuleSet, configuration: ServerConfiguration, metrics: ServerMetrics,
        dispatcher: NotificationDispatcher?, logger: Logger,
        responseTriggers: AsyncStream<[ResponseTrigger]>.Continuation? = nil
    ) throws(ServerError) {
        self.responseTriggers = responseTriggers
        self.database = database
        self.rules = rules
        self.configuration = configuration
        self.metrics = metrics
        self.dispatcher = dispatcher
        self.logger = logger
        storeQueue = BatchStoreQueue(database: database, logger: logger)
        do {
            // Events a previous run stored but did not index (see `AccessIndexes.swift`).
            try database.indexAccessEvents()
            scope = try Self.loadScope(database)
            engine = CorrelationEngine(
                rules: rules, configuration: Self.engineConfiguration(configuration), scopeOracle: scope)
            try Self.rebuild(engine: engine, database: database, configuration: configuration, logger: logger)
        } catch {
            throw .store("\(error)")
        }
    }

    static func engineConfiguration(_ configuration: ServerConfiguration) -> EngineConfiguration {
        EngineConfiguration(allowedLatenessMillis: Int64(configuration.latenessSeconds) * 1000)
    }

    static func loadScope(_ database: YujingDatabase) throws(StoreError) -> StaticScopeCatalogue {
        var datasets: [String: OpenCategory] = [:]
        for dataset in try database.datasets() { datasets[dataset.id] = dataset.openCategory }
        let approvals = try database.applications().map {
            StaticScopeCatalogue.Approval(
                subject: $0.subject, dataset: $0.dataset, validFromMillis: $0.validFromMillis,
                validToMillis: $0.validToMillis)
        }
        let restrictions = try database.subjects().compactMap { subject -> StaticScopeCatalogue.Restriction? in
            guard let from = subject.restrictedFromMillis else { return nil }
            return StaticScopeCatalogue.Restriction(
                subject: subject.id, fromMillis: from, untilMillis: subject.restrictedUntilMillis)
        }
        return StaticScopeCatalogue(datasets: datasets, approvals: approvals, restrictions: restrictions)
    }

    static func rebuild(
        engine: CorrelationEngine, database: YujingDatabase, configuration: ServerConfiguration, logger: Logger
    ) throws {
        var cursor = EventCursor()
        var since: Int64 = .min
        var source = "events"
        if let stored = try database.loadSnapshot(),
            let snapshot = try? JSONDecoder().decode(EngineSnapshot.self, from: Data(stored.state))
        {
            let restored = engine.restore(snapshot)
            cursor = EventCursor(
                access: stored.lastAccessID, finding: stored.lastFindingID, heartbeat: stored.lastHeartbeatID)
            source = "snapshot (\(restored.count) rules restored)"
        } else if let latest = try database.latestEventMillis() {
            since = latest - Int64(configuration.rebuildSeconds) * 1000
        }
        let events = try database.events(after: cursor, sinceMillis: since)
        var discarded: [WarningSignal] = []
        for event in events where event.drillID == nil {
            // Warnings of replayed events are already stored: the signals only rebuild state.
            engine.process(event, into: &discarded)
            discarded.removeAll(keepingCapacity: true)
        }
        logger.info(
            "engine state rebuilt", metadata: ["rebuild.source": "\(source)", "rebuild.events": "\(events.count)"])
    }

    /// Stores a batch (idempotent on agent and batch id) and evaluates its events.
    ///
    /// Storing runs on ``storeQueue`` while this actor evaluates the batch; the answer waits for both, but the actor
    /// does not: while one batch is being committed, the next one is evaluated. A batch is evaluated only once it is
    /// known to be new (stored batches are checked in the database, batches still being stored in ``inFlight``).
    /// Should storing fail after the engine has seen the events, the engine is rebuilt from the database as at
    /// start-up, so its state never counts events that were not stored (the agent's retry counts them once).
    /// - Parameters:
    ///   - batch: The batch.
    ///   - nowMillis: Wall clock.
    /// - Returns: Whether it was stored or a duplicate, and the warnings it changed.
    /// - Throws: ``ServerError/store(_:)``.
    public func ingest(
        _ batch: IngestBatch, nowMillis: Int64
    ) async throws(ServerError) -> (IngestOutcome, [WarningChange]) {
        let key = BatchKey(agent: batch.agent, batchID: batch.batchID)
        if let earlier = inFlight[key] {
            // The same batch is being stored: it is a duplicate once that attempt succeeds.
            switch await earlier.outcome() {
            case .success:
                metrics.batchesDuplicate.increment()
                return (.duplicate, [])
            case .failure(let error):
                throw .store(error.description)
            }
        }
        let seen: Bool
        do {
            seen = try database.isBatchStored(agent: batch.agent, batchID: batch.batchID)
        } catch {
            throw .store(error.description)
        }
        if seen {
            metrics.batchesDuplicate.increment()
            return (.duplicate, [])
        }
        let ticket = storeQueue.submit(batch, receivedMillis: nowMillis)
        inFlight[key] = ticket
        var access = 0
        var finding = 0
        var heartbeat = 0
        var signals: [WarningSignal] = []
        var drillSignals: [String: [WarningSignal]] = [:]
        var drillEvents = 0
        // By index, one copy per event (the engine's `EngineEvent`), not a copy of the item as well: copying and
        // destroying whole items showed in profiles of ingest.
        let items = batch.items
        for index in items.indices {
            let event = items[index].engineEvent
            if let drill = event.drillID {
                drillEvents += 1
                drillEngine(drill).process(event, into: &drillSignals[drill, default: []])
                continue
            }
            switch event {
            case .access: access += 1
            case .finding: finding += 1
            case .heartbeat: heartbeat += 1
            }
            engine.process(event, into: &signals)
        }
        // The actor is free for the next batch while this one is committed.
        let stored = await ticket.outcome()
        inFlight[key] = nil
        let outcome: IngestOutcome
        switch stored {
        case .success(.stored(let events)):
            outcome = .stored(events: events)
        case .success(.duplicate):
            // Only possible if another process wrote the batch meanwhile: forget what the engine saw.
            rebuildEngine()
            metrics.batchesDuplicate.increment()
            return (.duplicate, [])
        case .failure(let error):
            rebuildEngine()
            throw .store(error.description)
        }
        metrics.countEvents(access: access, finding: finding, heartbeat: heartbeat)
        if drillEvents > 0 { metrics.eventsDrill.increment(by: Int64(drillEvents)) }
        for (drill, raised) in drillSignals where !raised.isEmpty {
            signals += raised.map { Self.tagged($0, drill: drill) }
        }
        let changes = try apply(signals, nowMillis: nowMillis)
        try autoResolve(nowMillis: nowMillis)
        updateEngineGauges()
        return (outcome, changes)
    }

    /// The engine of a drill, created on its first event (the oldest is dropped beyond a cap).
    func drillEngine(_ drill: String) -> CorrelationEngine {
        if let existing = drillEngines[drill] { return existing }
        if drillOrder.count >= Self.maxDrillEngines {
            let oldest = drillOrder.removeFirst()
            drillEngines[oldest] = nil
            logger.warning("drill engine dropped (too many running drills)", metadata: ["drill.id": "\(oldest)"])
        }
        let created = CorrelationEngine(
            rules: rules, configuration: Self.engineConfiguration(configuration), scopeOracle: scope)
        drillEngines[drill] = created
        drillOrder.append(drill)
        return created
    }

    /// A drill's signal: labelled with the drill, fingerprinted apart from real warnings.
    static func tagged(_ signal: WarningSignal, drill: String) -> WarningSignal {
        var tagged = signal
        tagged.labels["drill"] = drill
        tagged.fingerprint = "drill:\(drill):" + signal.fingerprint
        var keys = signal.keys ?? [:]
        keys["drill"] = drill
        tagged.keys = keys
        return tagged
    }

    /// Drops a finished drill's engine.
    /// - Parameter drill: Drill id.
    public func endDrill(_ drill: String) {
        drillEngines[drill] = nil
        drillOrder.removeAll { $0 == drill }
    }

    /// Replaces the engine by one rebuilt from the database (snapshot plus newer events), as at start-up, once every
    /// batch already evaluated is committed or failed (so the rebuilt state is exactly what is stored).
    func rebuildEngine() {
        storeQueue.waitUntilDrained()
        let next = CorrelationEngine(
            rules: rules, configuration: Self.engineConfiguration(configuration), scopeOracle: scope)
        do {
            try Self.rebuild(engine: next, database: database, configuration: configuration, logger: logger)
            engine = next
            logger.warning("engine state rebuilt after a failed batch store")
        } catch {
            logger.error("engine rebuild after a failed batch store failed", metadata: ["error": "\(error)"])
        }
    }

    /// Moves the watermark with the wall clock (quiet input), so that `absence` rules fire.
    /// - Parameter nowMillis: Wall clock.
    /// - Returns: Warnings changed.
    /// - Throws: ``ServerError/store(_:)``.
    @discardableResult
    public func tick(nowMillis: Int64) throws(ServerError) -> [WarningChange] {
        var signals: [WarningSignal] = []
        engine.advanceWatermark(to: nowMillis - Int64(configuration.latenessSeconds) * 1000, into: &signals)
        let changes = try apply(signals, nowMillis: nowMillis)
        try autoResolve(nowMillis: nowMillis)
        return changes
    }

    /// Resolves warnings whose condition has been clear for `auto_resolve_seconds` of event time (checked at most
    /// once per minute of watermark progress) and tells receivers.
    func autoResolve(nowMillis: Int64) throws(ServerError) {
        guard configuration.autoResolveSeconds > 0, let watermark = engine.watermarkMillis,
            watermark >= lastAutoResolveWatermark &+ 60_000
        else { return }
        lastAutoResolveWatermark = watermark
        let resolved: [WarningRecord]
        do {
            resolved = try database.autoResolveWarnings(
                lastSeenBefore: watermark - Int64(configuration.autoResolveSeconds) * 1000, nowMillis: nowMillis)
        } catch {
            throw .store(error.description)
        }
        for warning in resolved {
            logger.info(
                "warning auto-resolved", metadata: ["rule.id": "\(warning.rule)", "warning.id": "\(warning.id)"])
            dispatcher?.enqueue(
                notification(
                    for: warning, status: "resolved",
                    endsAt: Date(timeIntervalSince1970: Double(watermark) / 1000)))
        }
    }

    /// Sends warning changes to the responder from now on.
    /// - Parameter continuation: The responder's queue.
    public func attachResponses(_ continuation: AsyncStream<[ResponseTrigger]>.Continuation) {
        responseTriggers = continuation
    }

    /// Re-reads the catalogue, approvals and restrictions that `scope` rules check, keeping engine state.
    public func refreshScope() {
        reload(rules)
    }

    /// Raises a warning that did not come from a rule (a failed or unverified measure).
    /// - Parameter signal: The warning.
    public func raise(_ signal: WarningSignal) {
        do {
            _ = try apply([signal], nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
        } catch {
            logger.error("could not store a response warning", metadata: ["rule.id": "\(signal.ruleID)", "error": "\(error)"])
        }
    }

    /// Applies signals as warnings, all in one transaction, then counts, logs and notifies.
    func apply(_ signals: [WarningSignal], nowMillis: Int64) throws(ServerError) -> [WarningChange] {
        guard !signals.isEmpty else { return [] }
        var triggers: [ResponseTrigger] = []
        defer { if !triggers.isEmpty { responseTriggers?.yield(triggers) } }
        let inputs = signals.map { signal in
            WarningInput(
                fingerprint: signal.fingerprint, rule: signal.ruleID, title: signal.title, level: signal.level,
                labels: signal.labels, annotations: signal.annotations, evidence: signal.evidence,
                timeMillis: signal.startsAtMillis)
        }
        let changes: [WarningChange]
        do {
            changes = try database.applyWarnings(inputs, nowMillis: nowMillis)
        } catch {
            throw .store(error.description)
        }
        for (signal, change) in zip(signals, changes) {
            if change.kind != .repeated {
                triggers.append(ResponseTrigger(warning: change.warning, keys: signal.keys ?? [:]))
                if signal.labels["drill"] == nil { metrics.alertsByLevel[signal.level]?.increment() }
                logger.info(
                    "warning changed",
                    metadata: [
                        "rule.id": "\(signal.ruleID)", "alert.level": "\(signal.level.rawValue)",
                        "warning.id": "\(change.warning.id)", "warning.change": "\(change.kind.rawValue)",
                    ])
            }
            if change.notify { dispatcher?.enqueue(notification(for: change.warning, status: "firing")) }
        }
        return changes
    }

    /// The notification for a warning.
    /// - Parameters:
    ///   - warning: The warning.
    ///   - status: `firing` or `resolved`.
    ///   - endsAt: End time for resolved warnings.
    /// - Returns: The notification.
    nonisolated func notification(for warning: WarningRecord, status: String, endsAt: Date? = nil) -> AlertNotification
    {
        var labels = warning.labels
        labels["alertname"] = warning.rule
        labels["rule"] = warning.rule
        labels["level"] = warning.level.rawValue
        labels["severity"] = warning.level.colour
        var annotations = warning.annotations
        annotations["evidence"] = warning.evidence
        if annotations["summary"] == nil { annotations["summary"] = warning.title }
        return AlertNotification(
            status: status, labels: labels, annotations: annotations,
            startsAt: Date(timeIntervalSince1970: Double(warning.firstSeenMillis) / 1000), endsAt: endsAt,
            generatorURL: "\(configuration.publicBase)/api/v1/warnings/\(warning.id)", fingerprint: warning.fingerprint)
    }

    /// Tells receivers that a warning was resolved.
    /// - Parameter warning: The resolved warning.
    public func announceResolved(_ warning: WarningRecord) {
        dispatcher?.enqueue(notification(for: warning, status: "resolved", endsAt: Date()))
    }

    /// Replaces the rules, keeping the state of rules whose definition did not change. Validate before calling.
    /// - Parameter newRules: The new rules.
    public func reload(_ newRules: RuleSet) {
        let snapshot = engine.snapshot()
        let reloadedScope = (try? Self.loadScope(database)) ?? scope
        let next = CorrelationEngine(
            rules: newRules, configuration: Self.engineConfiguration(configuration), scopeOracle: reloadedScope)
        next.restore(snapshot)
        engine = next
        scope = reloadedScope
        rules = newRules
        for drill in drillOrder {
            guard let old = drillEngines[drill] else { continue }
            let replacement = CorrelationEngine(
                rules: newRules, configuration: Self.engineConfiguration(configuration), scopeOracle: reloadedScope)
            replacement.restore(old.snapshot())
            drillEngines[drill] = replacement
        }
    }

    /// Saves the engine snapshot with the row cursor it covers.
    /// - Throws: ``ServerError/store(_:)``.
    public func saveSnapshot() throws(ServerError) {
        // Every batch the engine has seen must be committed, or the cursor would not cover the state; a failed one
        // (whose request has not yet rebuilt the engine) must be forgotten first.
        storeQueue.waitUntilDrained()
        if inFlight.values.contains(where: \.failed) { rebuildEngine() }
        do {
            let cursor = try database.currentCursor()
            let state = try JSONEncoder().encode(engine.snapshot())
            try database.saveSnapshot(
                StoredSnapshot(
                    state: [UInt8](state), savedMillis: Int64(Date().timeIntervalSince1970 * 1000),
                    lastAccessID: cursor.access, lastFindingID: cursor.finding, lastHeartbeatID: cursor.heartbeat))
        } catch {
            throw .store("\(error)")
        }
    }

    /// Engine counters, for `/metrics`.
    /// - Returns: Metrics and key count.
    public func engineStatus() -> (metrics: EngineMetrics, keys: Int) { (engine.metrics, engine.stateKeyCount) }

    func updateEngineGauges() {
        let m = engine.metrics
        metrics.ruleEvaluations.set(to: Double(m.ruleEvaluations))
        metrics.lateEvents.set(to: Double(m.lateEvents))
        metrics.droppedState.set(to: Double(m.droppedStateCount))
        metrics.engineKeys.set(to: Double(engine.stateKeyCount))
    }
}

/// An agent's batch identity, the idempotency key of ingest.
struct BatchKey: Hashable {
    var agent: String
    var batchID: String
}
