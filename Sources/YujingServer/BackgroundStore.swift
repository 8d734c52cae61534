import Dispatch
import Foundation
import YujingStore

/// Stores one batch on a dedicated serial queue while the pipeline evaluates the same batch, so that the two
/// halves of ingest (SQLite and the engine) use two cores instead of one after the other.
///
/// `@unchecked Sendable`: the result is written once on the queue and read only after `wait()` returns, behind a
/// `DispatchGroup` (which orders the accesses) and a lock.
final class BackgroundStore: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var result: Result<IngestOutcome, StoreError>?

    /// Starts storing.
    /// - Parameters:
    ///   - batch: The batch.
    ///   - database: Store.
    ///   - receivedMillis: Wall clock.
    ///   - queue: A serial queue (it targets an overcommitting root queue, so it never waits for a pool thread).
    init(_ batch: IngestBatch, in database: YujingDatabase, receivedMillis: Int64, on queue: DispatchQueue) {
        group.enter()
        queue.async { [self] in
            let outcome = Result { () throws(StoreError) -> IngestOutcome in
                try database.storeBatch(
                    agent: batch.agent, batchID: batch.batchID, items: batch.items, receivedMillis: receivedMillis)
            }
            lock.withLock { result = outcome }
            group.leave()
        }
    }

    /// Blocks until the batch is stored (or failed), as a synchronous GRDB write would.
    /// - Returns: The outcome.
    func wait() -> Result<IngestOutcome, StoreError> {
        group.wait()
        return lock.withLock { result } ?? .failure(.database("batch store did not finish"))
    }
}
