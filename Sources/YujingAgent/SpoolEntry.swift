/// A batch waiting for the center's acknowledgement, stored as one spool file: a JSON header line, then the
/// gzip'd request body.
public struct SpoolEntry: Sendable, Codable, Equatable {
    /// Order of creation (also the file name).
    public var sequence: UInt64
    /// The batch id (the center's idempotency key with the agent name).
    public var batchID: String
    /// For access-log batches: the file position after the batch's last line.
    public var position: FilePosition?
    /// Events in the batch.
    public var events: Int
    /// File size on disk (header and body), bytes; not stored in the header.
    public var size: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case sequence, batchID = "batch_id", position, events
    }

    /// Creates an entry.
    /// - Parameters:
    ///   - sequence: Creation order.
    ///   - batchID: Batch id.
    ///   - position: Position after the last line, for access-log batches.
    ///   - events: Number of events.
    public init(sequence: UInt64, batchID: String, position: FilePosition?, events: Int) {
        self.sequence = sequence
        self.batchID = batchID
        self.position = position
        self.events = events
    }
}
