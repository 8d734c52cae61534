import Foundation
import Logging
import ServiceLifecycle

/// Ships batches in order: spool first, then `POST /api/v1/ingest` (a few requests at once, answers taken in
/// order), retried with exponential backoff and full jitter; on acknowledgement the checkpoint advances (saved
/// atomically, then the spool files it covers are removed). Reading waits in ``enqueue(batchID:body:position:events:)`` while the spool is full.
public actor Shipper {
    enum Item {
        case batch(SpoolEntry)
        case mark(FilePosition)
    }

    let configuration: AgentConfiguration
    let client: IngestClient
    let metrics: AgentMetrics
    let logger: Logger
    var spool: Spool
    var queue: [Item] = []
    var head = 0
    /// Requests on the wire, by spool sequence number (see ``run(drainSeconds:)``).
    var sends: [UInt64: Task<IngestClient.Outcome, Never>] = [:]
    /// Index in ``queue`` of the next item ``launchSends()`` looks at.
    var launchCursor = 0
    var checkpoint: Checkpoint
    var acknowledged: [SpoolEntry] = []
    var checkpointDirty = false
    var lastCheckpointSave = ContinuousClock.now
    var nextSequence: UInt64 = 1
    var outage = false
    var backpressureLogged = false
    /// Whether the last checkpoint save failed (logged once until a save works again).
    var checkpointSaveFailing = false
    /// Whether the unreadable spool file at the head was logged (once until it is read or given up).
    var unreadableLogged = false
    var random = SystemRandomNumberGenerator()
    /// Whether the agent had a checkpoint before this start (otherwise `start_at` applies).
    public let isFirstRun: Bool

    /// Opens the spool and the checkpoint.
    /// - Parameters:
    ///   - configuration: The agent configuration.
    ///   - metrics: Shared metrics.
    ///   - logger: Logger.
    /// - Throws: ``AgentError`` when the directories cannot be created or the checkpoint is corrupt.
    public init(configuration: AgentConfiguration, metrics: AgentMetrics, logger: Logger) throws(AgentError) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        try FileIO.makeDirectory(configuration.checkpointDirectory)
        let loaded = try Checkpoint.load(from: configuration.checkpointDirectory)
        isFirstRun = loaded == nil
        let checkpoint = loaded ?? Checkpoint()
        var spool = try Spool(directory: configuration.spoolDirectory, maxBytes: configuration.spoolMaxBytes)
        client = try IngestClient(
            centerURL: configuration.centerURL, token: configuration.token, caFile: configuration.caFile,
            timeoutMillis: configuration.requestTimeoutMillis,
            connectTimeoutMillis: configuration.connectTimeoutMillis)
        var stale: [SpoolEntry] = []
        var queue: [Item] = []
        var next: UInt64 = 1
        for entry in spool.load() {
            next = max(next, entry.sequence + 1)
            if let position = entry.position, let done = checkpoint.files[position.key], done.offset >= position.offset {
                stale.append(entry)
            } else {
                queue.append(.batch(entry))
            }
        }
        for entry in stale { spool.remove(entry) }
        for name in spool.discarded {
            metrics.add(.batchesLost)
            logger.error(
                "corrupt spool file removed; its lines are skipped", metadata: ["spool.file": "\(name)"])
        }
        metrics.set(.spoolBytes, spool.usedBytes)
        metrics.set(.spoolBatches, Int64(spool.count))
        self.checkpoint = checkpoint
        self.spool = spool
        self.queue = queue
        self.nextSequence = next
    }

    /// Where each known file resumes: the acknowledged checkpoint, moved forward by batches still in the spool
    /// (those are re-sent with their ids, so their lines are not read again).
    /// - Returns: Positions by file key.
    public func resumePositions() -> [String: FilePosition] {
        var positions = checkpoint.files
        for item in queue[head...] {
            guard case .batch(let entry) = item, let position = entry.position else { continue }
            if let existing = positions[position.key], existing.offset >= position.offset { continue }
            positions[position.key] = position
        }
        return positions
    }

    /// Spools a batch for sending; waits while the spool is full (backpressure).
    /// - Parameters:
    ///   - batchID: Deterministic batch id.
    ///   - body: The gzip'd request body.
    ///   - position: For access-log batches, the file position after the last line.
    ///   - events: Number of events.
    /// - Throws: `CancellationError` on shutdown while the spool is full or cannot be written.
    public func enqueue(batchID: String, body: [UInt8], position: FilePosition?, events: Int) async throws {
        while spool.isFull && head < queue.count {
            if Task.isShuttingDownGracefully { throw CancellationError() }
            if !backpressureLogged {
                backpressureLogged = true
                metrics.set(.backpressure, 1)
                logger.warning(
                    "spool full: reading paused until the center acknowledges",
                    metadata: ["spool.bytes": "\(spool.usedBytes)", "spool.max_bytes": "\(spool.maxBytes)"])
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        if backpressureLogged {
            backpressureLogged = false
            metrics.set(.backpressure, 0)
            logger.info("spool has room again: reading resumed", metadata: ["spool.bytes": "\(spool.usedBytes)"])
        }
        let entry = SpoolEntry(sequence: nextSequence, batchID: batchID, position: position, events: events)
        let stored = try await writeToSpool(entry, body: body)
        nextSequence += 1
        queue.append(.batch(stored))
        metrics.set(.spoolBytes, spool.usedBytes)
        metrics.set(.spoolBatches, Int64(spool.count))
    }

    /// Writes a batch file, retrying with backoff while the disk refuses (full, read-only, gone): reading waits
    /// meanwhile, and the batch's lines stay unacknowledged, so nothing is lost. Logged once per episode.
    /// - Throws: `CancellationError` on shutdown or cancellation while the spool cannot be written.
    func writeToSpool(_ entry: SpoolEntry, body: [UInt8]) async throws -> SpoolEntry {
        var failures = 0
        while true {
            do {
                let stored = try spool.write(entry, body: body, durable: outage)
                if failures > 0 {
                    logger.info("spool writable again", metadata: ["spool.dir": "\(spool.directory)"])
                }
                return stored
            } catch {
                failures += 1
                metrics.add(.spoolWriteErrors)
                if failures == 1 {
                    logger.error(
                        "cannot write the spool: reading paused, retrying with backoff",
                        metadata: ["error": "\(error)", "batch.id": "\(entry.batchID)"])
                }
                if Task.isShuttingDownGracefully || Task.isCancelled { throw CancellationError() }
                try await Task.sleep(for: .milliseconds(backoff(failures: failures)))
            }
        }
    }

    /// Records lines read without events (unparsable or empty lines): the position advances in order with the
    /// batches before it, without a request.
    /// - Parameter position: The position after those lines.
    public func mark(_ position: FilePosition) {
        queue.append(.mark(position))
    }

    /// Saves positions at once (the starting points chosen by `start_at: end` on the first run). A save that fails
    /// (disk full) is logged and retried with the next checkpoint save; the positions hold in memory meanwhile.
    /// - Parameter positions: Positions.
    public func commit(_ positions: [FilePosition]) {
        let now = Self.nowMillis()
        for position in positions { checkpoint.advance(position, nowMillis: now) }
        checkpointDirty = true
        saveCheckpointIfDue(force: true)
    }

    /// Batches spooled and not yet acknowledged.
    public var pendingCount: Int { queue.count - head }

    /// Sends until the queue is empty and shutdown was requested (then tries for at most `drainSeconds` more), or
    /// until its task is cancelled.
    ///
    /// Up to `batch.max_in_flight` batches are on the wire at once, but their outcomes are taken in queue order, so
    /// the checkpoint only ever covers a prefix of acknowledged batches. When the batch at the head must be retried,
    /// the answers to the batches sent after it are dropped and those batches are sent again after it (the center
    /// answers `duplicate` for any it already stored); during an outage one batch at a time probes the center.
    func run(drainSeconds: Double) async {
        var failures = 0
        var drainDeadline: ContinuousClock.Instant?
        sending: while true {
            // A cancelled task (not a graceful shutdown) stops at once; what was acknowledged is still saved.
            if Task.isCancelled { break sending }
            if drainDeadline == nil && Task.isShuttingDownGracefully {
                drainDeadline = .now + .seconds(drainSeconds)
            }
            if head >= queue.count {
                saveCheckpointIfDue(force: true)
                if drainDeadline != nil { break sending }
                try? await Task.sleep(for: .milliseconds(5))
                continue
            }
            if let deadline = drainDeadline, ContinuousClock.now >= deadline { break sending }
            launchSends()
            switch queue[head] {
            case .mark(let position):
                checkpoint.advance(position, nowMillis: Self.nowMillis())
                checkpointDirty = true
                popHead()
            case .batch(let entry):
                guard let send = sends.removeValue(forKey: entry.sequence) else {
                    if await readHeadAgain(entry, failures: &failures, draining: drainDeadline != nil) { break sending }
                    continue
                }
                let outcome = await send.value
                switch outcome {
                case .accepted(let duplicate):
                    if duplicate { metrics.add(.batchesDuplicate) }
                    metrics.add(.batchesAcknowledged)
                    metrics.add(.eventsAcknowledged, Int64(entry.events))
                    if outage {
                        outage = false
                        logger.info("center reachable again", metadata: ["spool.batches": "\(spool.count)"])
                    }
                    failures = 0
                    acknowledge(entry)
                case .rejected(let status, let reason):
                    metrics.add(.batchesRejected)
                    logger.error(
                        "center rejected a batch; its lines are skipped",
                        metadata: [
                            "batch.id": "\(entry.batchID)", "http.status": "\(status)", "reason": "\(reason)",
                        ])
                    acknowledge(entry)
                case .retry(let reason):
                    metrics.add(.sendFailures)
                    failures += 1
                    await abandonSends()
                    if !outage {
                        outage = true
                        spool.syncAll(
                            queue[head...].compactMap { item -> SpoolEntry? in
                                if case .batch(let pending) = item { return pending }
                                return nil
                            })
                        logger.warning(
                            "center unreachable: spooling to disk, retrying with backoff",
                            metadata: ["reason": "\(reason)", "spool.batches": "\(spool.count)"])
                    }
                    saveCheckpointIfDue(force: true)
                    if drainDeadline != nil { break sending }
                    let delay = backoff(failures: failures)
                    try? await Task.sleep(for: .milliseconds(delay))
                }
            }
            saveCheckpointIfDue(force: false)
        }
        await abandonSends()
        saveCheckpointIfDue(force: true)
    }

    /// The head has no request because its spool file could not be read when ``launchSends()`` came to it: reads
    /// it again. A readable body is sent; a file that is gone or has lost its header is skipped (counted, logged); one
    /// that cannot be read now is retried after a backoff, logged once.
    /// - Returns: Whether to stop sending (shutting down while the file is still unreadable).
    func readHeadAgain(_ entry: SpoolEntry, failures: inout Int, draining: Bool) async -> Bool {
        switch spool.readBody(of: entry) {
        case .body(let body):
            let client = client
            sends[entry.sequence] = Task { await client.send(gzippedBody: body) }
            unreadableLogged = false
        case .lost(let reason):
            metrics.add(.batchesLost)
            logger.error(
                "spooled batch lost; its lines are skipped",
                metadata: [
                    "batch.id": "\(entry.batchID)", "reason": "\(reason)",
                    "position": "\(entry.position.map { "\($0.path)@\($0.offset)" } ?? "dataset scan")",
                ])
            unreadableLogged = false
            acknowledge(entry)
        case .unavailable(let reason):
            metrics.add(.spoolReadErrors)
            failures += 1
            if !unreadableLogged {
                unreadableLogged = true
                logger.warning(
                    "spool file unreadable; retrying with backoff",
                    metadata: ["batch.id": "\(entry.batchID)", "reason": "\(reason)"])
            }
            saveCheckpointIfDue(force: true)
            if draining { return true }
            try? await Task.sleep(for: .milliseconds(backoff(failures: failures)))
        }
        return false
    }

    /// Starts sending the batches after the head until `batch.max_in_flight` requests are open (one during an
    /// outage). A batch whose spool file cannot be read gets no request; it is read again when it reaches the head.
    func launchSends() {
        let window = outage ? 1 : configuration.batchMaxInFlight
        launchCursor = max(launchCursor, head)
        while sends.count < window && launchCursor < queue.count {
            if case .batch(let entry) = queue[launchCursor], case .body(let body) = spool.readBody(of: entry) {
                let client = client
                sends[entry.sequence] = Task { await client.send(gzippedBody: body) }
            }
            launchCursor += 1
        }
    }

    /// Cancels the open requests and waits for them to end; their batches are sent again from the head.
    func abandonSends() async {
        let open = sends
        sends.removeAll()
        launchCursor = head
        for send in open.values { send.cancel() }
        for send in open.values { _ = await send.value }
    }

    /// Full jitter: uniform in [initial, min(max, initial·2^(failures−1))].
    func backoff(failures: Int) -> Int {
        let initial = configuration.retryInitialMillis
        let cap = min(configuration.retryMaxMillis, initial << min(failures - 1, 20))
        return Int.random(in: min(initial, cap)...max(initial, cap), using: &random)
    }

    func acknowledge(_ entry: SpoolEntry) {
        if let position = entry.position { checkpoint.advance(position, nowMillis: Self.nowMillis()) }
        acknowledged.append(entry)
        checkpointDirty = true
        popHead()
    }

    func popHead() {
        head += 1
        if head > 1_024 && head * 2 > queue.count {
            queue.removeFirst(head)
            launchCursor = max(0, launchCursor - head)
            head = 0
        }
    }

    /// Saves the checkpoint (atomic, fsync'd) at most every `batch.max_wait_ms`, then removes the spool files
    /// it covers. A kill between the two only leaves files that are re-sent and deduplicated by the center.
    func saveCheckpointIfDue(force: Bool) {
        guard checkpointDirty else { return }
        let interval = Duration.milliseconds(max(50, configuration.batchMaxWaitMillis))
        // While saves fail, even a forced one waits for the interval: a full disk is not hammered every loop.
        guard (force && !checkpointSaveFailing) || ContinuousClock.now - lastCheckpointSave >= interval else { return }
        do {
            try saveCheckpoint()
            if checkpointSaveFailing {
                checkpointSaveFailing = false
                logger.info("checkpoint saved again")
            }
        } catch {
            metrics.add(.checkpointSaveErrors)
            lastCheckpointSave = .now
            if !checkpointSaveFailing {
                checkpointSaveFailing = true
                logger.error(
                    "cannot save the checkpoint: acknowledged positions held in memory, retrying",
                    metadata: ["error": "\(error)"])
            }
        }
    }

    func saveCheckpoint() throws(AgentError) {
        checkpoint.prune(keeping: 4_096)
        try checkpoint.save(to: configuration.checkpointDirectory)
        lastCheckpointSave = .now
        checkpointDirty = false
        for entry in acknowledged { spool.remove(entry) }
        acknowledged.removeAll(keepingCapacity: true)
        metrics.set(.spoolBytes, spool.usedBytes)
        metrics.set(.spoolBatches, Int64(spool.count))
    }

    /// Sends one request outside the queue (heartbeats), without spooling.
    func sendDirect(_ body: [UInt8]) async -> IngestClient.Outcome {
        await client.send(gzippedBody: body)
    }

    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}
