import CompressNIO
import NIOCore
import YujingCore

/// Encodes a tailer's batches into gzip'd request bodies (`{agent, events: [...], batch_id}`), one batch at a time,
/// reusing its JSON buffer, its zlib stream and its byte buffers from batch to batch: fresh multi-megabyte buffers
/// per batch cost the agent page faults and copies (a tenth of its CPU time in the throughput benchmark).
///
/// Not thread-safe: owned by one ``LogTailer``.
final class BatchEncoder {
    let agent: String
    private(set) var writer = JSONWriter()
    /// Events in the open batch.
    private(set) var count = 0
    /// Offset of the open batch's first line.
    private(set) var start: UInt64 = 0
    private let compressor: ZlibCompressor
    private var input = ByteBufferAllocator().buffer(capacity: 0)
    private var output = ByteBufferAllocator().buffer(capacity: 0)

    /// - Parameter agent: The agent name written into every body.
    /// - Throws: ``AgentError/encoding(_:)`` when zlib cannot be set up.
    init(agent: String) throws(AgentError) {
        self.agent = agent
        do {
            compressor = try ZlibCompressor(
                algorithm: .gzip, configuration: .init(compressionLevel: .fastestCompression))
        } catch {
            throw .encoding("gzip: \(error)")
        }
    }

    /// Starts a batch whose first line is at `offset` (any open batch is discarded).
    func begin(at offset: UInt64) {
        writer.bytes.removeAll(keepingCapacity: true)
        writer.raw("{\"agent\":")
        writer.string(agent)
        writer.raw(",\"events\":[")
        count = 0
        start = offset
    }

    /// Appends one event to the open batch.
    func append(_ event: AccessEvent) {
        if count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
        EventEncoder.append(event, to: &writer)
        count += 1
    }

    /// Closes the open batch and returns its gzip'd body. The batch id goes last: the center reads the keys of
    /// the batch object in any order.
    /// - Parameter batchID: The batch id.
    /// - Returns: The body.
    /// - Throws: ``AgentError/encoding(_:)``.
    func finish(batchID: String) throws(AgentError) -> [UInt8] {
        writer.raw("],\"batch_id\":")
        writer.string(batchID)
        writer.raw("}")
        input.clear()
        input.writeBytes(writer.bytes)
        output.clear(minimumCapacity: compressor.maxSize(from: input))
        do {
            try compressor.reset()
            try compressor.deflate(from: &input, to: &output, flush: .finish)
        } catch {
            throw .encoding("gzip: \(error)")
        }
        return Array(output.readableBytesView)
    }
}
