import Dispatch
import Foundation
import YujingStore

/// Stores ingest batches on one dedicated thread while the pipeline evaluates them, so that the two halves of
/// ingest (SQLite and the engine) use two cores instead of one after the other.
///
/// Batches that arrive while a transaction is running are committed together in the next one (group commit): under
/// load, index pages rewritten by many batches reach the WAL once per transaction instead of once per batch. Should
/// a group's transaction fail, its batches are retried one transaction each, so one bad batch fails alone.
///
/// `@unchecked Sendable`: `pending` and `draining` are only touched under `lock`; the database is `Sendable`.
final class BatchStoreQueue: @unchecked Sendable {
    private let database: YujingDatabase
    private let queue = DispatchQueue(label: "yujing.pipeline.store")
    private let lock = NSLock()
    private var pending: [Pending] = []
    private var draining = false
    /// Most batches committed in one transaction.
    let maxGroup: Int

    private struct Pending {
        var request: YujingDatabase.BatchRequest
        var ticket: StoreTicket
    }

    /// Creates the queue.
    /// - Parameters:
    ///   - database: Store.
    ///   - maxGroup: Most batches per transaction.
    init(database: YujingDatabase, maxGroup: Int = 16) {
        self.database = database
        self.maxGroup = max(1, maxGroup)
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
            if group.isEmpty { return }
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
            for (entry, result) in zip(group, results) { entry.ticket.complete(result) }
        }
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
