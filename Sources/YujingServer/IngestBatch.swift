import Foundation
import YujingCore
import YujingStore

/// A decoded ingest request: `{agent, batch_id, events: [...]}`.
public struct IngestBatch: Sendable {
    /// Agent name.
    public var agent: String
    /// The agent's batch id (idempotency key with the agent).
    public var batchID: String
    /// The events.
    public var items: [IngestItem]

    /// Creates a batch.
    /// - Parameters:
    ///   - agent: Agent name.
    ///   - batchID: The agent's batch id.
    ///   - items: The events.
    public init(agent: String, batchID: String, items: [IngestItem]) {
        self.agent = agent
        self.batchID = batchID
        self.items = items
    }

    /// Decodes a body, rejecting the whole batch on the first bad event.
    /// - Parameter data: JSON bytes.
    /// - Returns: The batch.
    /// - Throws: ``ServerError/invalidBatch(_:)`` naming the field, e.g. `events[3].time: ...`.
    public static func decode(_ data: Data) throws(ServerError) -> IngestBatch {
        let result: Result<IngestBatch, ServerError> = data.withUnsafeBytes { bytes in
            Result { () throws(ServerError) in try BatchDecoder.decode(bytes) }
        }
        return try result.get()
    }

    /// Decodes a body in place (the daemon's path: no copy of the request body).
    /// - Parameter bytes: JSON bytes.
    /// - Returns: The batch.
    /// - Throws: ``ServerError/invalidBatch(_:)`` naming the field, e.g. `events[3].time: ...`.
    public static func decode(bytes: UnsafeRawBufferPointer) throws(ServerError) -> IngestBatch {
        try BatchDecoder.decode(bytes)
    }
}
