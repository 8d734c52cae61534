import YujingCore

/// Encodes a tailer's batches into gzip'd request bodies, one batch at a time, reusing its JSON buffer and its gzip
/// stream from batch to batch: fresh multi-megabyte buffers per batch cost the agent page faults and copies (a tenth
/// of its CPU time in the throughput benchmark).
///
/// Not thread-safe: owned by one ``LogTailer``.
final class BatchEncoder {
    let agent: String
    private(set) var writer = JSONWriter()
    /// Events in the open batch.
    private(set) var count = 0
    /// Offset of the open batch's first line.
    private(set) var start: UInt64 = 0
    private let gzip: GzipCompressor

    /// - Parameter agent: The agent name written into every body.
    /// - Throws: ``AgentError/encoding(_:)`` when zlib cannot be set up.
    init(agent: String) throws(AgentError) {
        self.agent = agent
        gzip = try GzipCompressor()
    }

    /// Starts a batch whose first line is at `offset` (any open batch is discarded).
    func begin(at offset: UInt64) {
        writer.bytes.removeAll(keepingCapacity: true)
        EventEncoder.openBatch(agent: agent, to: &writer)
        count = 0
        start = offset
    }

    /// Appends one event to the open batch.
    func append(_ event: AccessEvent) {
        if count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
        EventEncoder.append(event, to: &writer)
        count += 1
    }

    /// Closes the open batch and returns its gzip'd body.
    /// - Parameter batchID: The batch id.
    /// - Returns: The body.
    /// - Throws: ``AgentError/encoding(_:)``.
    func finish(batchID: String) throws(AgentError) -> [UInt8] {
        EventEncoder.closeBatch(batchID: batchID, to: &writer)
        return try gzip.compress(writer.bytes)
    }
}
