import Dispatch
import Foundation
import Logging
import YujingStore

/// Stores ingest batches on one dedicated thread while the pipeline evaluates them, so that the two halves of
/// ingest (SQLite and the engine) use two cores instead of one after the other.
///
/// Batches that arrive while a transaction is running are committed together in the next one (group commit): under
/// load, index pages rewritten by many batches reach the WAL once per transaction instead of once per batch. Should
/// a group's transaction fail, its batches are retried one transaction each, so one bad batch fails alone.
///
/// Between groups it also runs the bulk indexes of access events (``YujingDatabase/indexAccessEvents()``), once
/// `indexEvery` events are waiting for them, and `indexIdleDelay` after the queue runs dry with events still
/// unindexed (so a lightly loaded center indexes about once per delay): readers find the unindexed events either
/// way, the runs only keep that tail short.
///
/// `@unchecked Sendable`: `pending` and `draining` are only touched under `lock`, `unindexed` and `indexScheduled`
/// only on `queue`; the database is `Sendable`.
final class BatchStoreQueue: @unchecked Sendable {
    private let database: YujingDatabase
    private let logger: Logger
    private let queue = DispatchQueue(label: "yujing.pipeline.store")
    private let lock = NSLock()
    private var pending: [Pending] = []
    private var draining = false
    /// Events stored since the access indexes last ran (or last failed).
    private var unindexed = 0
    /// Whether an idle run of the access indexes is scheduled.
    private var indexScheduled = false
    /// Most batches committed in one transaction.
    let maxGroup: Int
    /// Events stored after which the access indexes run between two groups.
    let indexEvery: Int
    /// Delay after the queue runs dry before the access indexes run for the events waiting.
    let indexIdleDelay: DispatchTimeInterval

    private struct Pending {
        var request: YujingDatabase.BatchRequest
        var ticket: StoreTicket
    }

    /// Creates the queue.
    /// - Parameters:
    ///   - database: Store.
    ///   - logger: Where a failed run of the access indexes is reported.
    ///   - maxGroup: Most batches per transaction.
    ///   - indexEvery: Events stored after which the access indexes run.
    ///   - indexIdleDelay: Delay after the queue runs dry before the access indexes run.
    init(
        database: YujingDatabase, logger: Logger, maxGroup: Int = 16, indexEvery: Int = 50_000,
        indexIdleDelay: DispatchTimeInterval = .seconds(1)
    ) {
        self.database = database
        self.logger = logger
        self.maxGroup = max(1, maxGroup)
        self.indexEvery = max(1, indexEvery)
        self.indexIdleDelay = indexIdleDelay
    }

    /// Queues a batch for storing.
    /// - Parameters:
    ///   - batch: The batch.
    ///   - receivedMillis: Wall clock at reception.
    /// - Returns: The ticket that completes when the batch is committed (or failed).
    func submit(_ batch: IngestBatch, receivedMillis: Int64) -> StoreTicket {
        let ticket = StoreTicket()
        let schedule = lock.withLock { () -> Bool in
            let request = YujingDatabase.BatchRequest(
                agent: batch.agent, batchID: batch.batchID, items: batch.items, receivedMillis: receivedMillis)
            pending.append(Pending(request: request, ticket: ticket))
            if draining { return false }
            draining = true
            return true
        }
        if schedule { queue.async { [self] in drain() } }
        return ticket
    }

    /// Blocks until every batch submitted so far is committed or failed (before a snapshot or an engine rebuild).
    func waitUntilDrained() {
        queue.sync {}
    }

    private func drain() {
        while true {
            let group = lock.withLock { () -> [Pending] in
                let taken = Array(pending.prefix(maxGroup))
                pending.removeFirst(taken.count)
                if taken.isEmpty { draining = false }
                return taken
            }
            if group.isEmpty {
                scheduleIdleIndex()
                return
            }
            let requests = group.map(\.request)
            let results: [Result<IngestOutcome, StoreError>]
            do {
                results = try database.storeBatches(requests).map { .success($0) }
            } catch {
                // One transaction each, so that only the batch at fault fails.
                results = requests.map { request in
                    Result { () throws(StoreError) -> IngestOutcome in try database.storeBatches([request])[0] }
                }
            }
            for (entry, result) in zip(group, results) {
                entry.ticket.complete(result)
                if case .success(.stored(let events)) = result { unindexed += events }
            }
            if unindexed >= indexEvery { runIndex() }
        }
    }

    /// Runs the access indexes ``indexIdleDelay`` after the queue ran dry, unless a run is already scheduled (on
    /// `queue`).
    private func scheduleIdleIndex() {
        guard unindexed > 0, !indexScheduled else { return }
        indexScheduled = true
        queue.asyncAfter(deadline: .now() + indexIdleDelay) { [self] in
            indexScheduled = false
            if unindexed > 0 { runIndex() }
        }
    }

    /// Indexes the events waiting (on `queue`). A failure is logged and retried after ``indexEvery`` more events:
    /// readers scan the unindexed tail meanwhile, so nothing is missing from their answers.
    private func runIndex() {
        do {
            try database.indexAccessEvents()
        } catch {
            logger.error(
                "indexing access events failed; readers scan the unindexed events meanwhile",
                metadata: ["error": "\(error)", "store.unindexed": "\(unindexed)"])
        }
        unindexed = 0
    }
}

/// The pending result of storing one batch: awaited by the request that sent it (and by a concurrent retry of it).
final class StoreTicket: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<IngestOutcome, StoreError>?
    private var waiters: [CheckedContinuation<Result<IngestOutcome, StoreError>, Never>] = []

    /// Whether storing finished and failed.
    var failed: Bool {
        lock.withLock {
            if case .failure = result { return true }
            return false
        }
    }

    /// Sets the result and wakes every waiter.
    func complete(_ outcome: Result<IngestOutcome, StoreError>) {
        let woken = lock.withLock { () -> [CheckedContinuation<Result<IngestOutcome, StoreError>, Never>] in
            result = outcome
            defer { waiters = [] }
            return waiters
        }
        for waiter in woken { waiter.resume(returning: outcome) }
    }

    /// Waits (without blocking a thread) for the result.
    func outcome() async -> Result<IngestOutcome, StoreError> {
        await withCheckedContinuation { continuation in
            let ready = lock.withLock { () -> Result<IngestOutcome, StoreError>? in
                if let result { return result }
                waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
