import CompressNIO
import NIOCore
import YujingCore

/// Writes events in the center's ingest JSON (`openapi.yaml`: `{agent, batch_id, events: [...]}`) and gzips
/// batch bodies.
enum EventEncoder {
    /// Appends one access event object. Fields equal to the API's defaults (`method` GET, `status` 200, `bytes` 0,
    /// an empty `user_agent`) are left out, as `openapi.yaml` allows. Each key goes in with its comma and colon as
    /// one literal (the agent's hot path: one append instead of five).
    static func append(_ event: AccessEvent, to writer: inout JSONWriter) {
        writer.raw("{\"type\":\"access\",\"time\":")
        writer.integer(event.timeMillis)
        writer.raw(",\"node\":")
        writer.string(event.node)
        writer.raw(",\"ip\":")
        writer.string(event.clientIP)
        if let subject = event.subject {
            writer.raw(",\"subject\":")
            writer.string(subject.id)
            writer.raw(",\"subject_kind\":")
            writer.string(subject.kind.rawValue)
        }
        if event.method != "GET" {
            writer.raw(",\"method\":")
            writer.string(event.method)
        }
        writer.raw(",\"path\":")
        writer.string(event.path)
        if let query = event.query {
            writer.raw(",\"query\":")
            writer.string(query)
        }
        if let dataset = event.dataset {
            writer.raw(",\"dataset\":")
            writer.string(dataset)
        }
        if let channel = event.channel {
            writer.raw(",\"channel\":")
            writer.string(channel.rawValue)
        }
        if event.status != 200 {
            writer.raw(",\"status\":")
            writer.integer(event.status)
        }
        if event.bytes != 0 {
            writer.raw(",\"bytes\":")
            writer.integer(event.bytes)
        }
        if !event.userAgent.isEmpty {
            writer.raw(",\"user_agent\":")
            writer.string(event.userAgent)
        }
        if let drill = event.drillID {
            writer.raw(",\"drill\":")
            writer.string(drill)
        }
        writer.raw("}")
    }

    /// Appends one finding event object (`kind` may be `scan_clean` or `scan_error` with count 0).
    static func appendFinding(
        timeMillis: Int64, dataset: String, file: String, kind: String, count: Int, masked: [String],
        hashes: [String], drill: String? = nil, to writer: inout JSONWriter
    ) {
        writer.raw("{\"type\":\"finding\",\"time\":")
        writer.integer(timeMillis)
        writer.key("dataset")
        writer.string(dataset)
        writer.key("file")
        writer.string(file)
        writer.key("kind")
        writer.string(kind)
        writer.key("count")
        writer.integer(count)
        writer.key("masked_samples")
        writer.stringArray(masked)
        writer.key("keyed_hashes")
        writer.stringArray(hashes)
        if let drill {
            writer.key("drill")
            writer.string(drill)
        }
        writer.raw("}")
    }

    /// Opens a batch document: `{"agent":…,"events":[`. The batch id goes last (``closeBatch(batchID:to:)``), so a
    /// batch can be written while its lines are read; the center reads the keys of the batch object in any order.
    static func openBatch(agent: String, to writer: inout JSONWriter) {
        writer.raw("{\"agent\":")
        writer.string(agent)
        writer.raw(",\"events\":[")
    }

    /// Closes a batch document opened by ``openBatch(agent:to:)``: `],"batch_id":…}`.
    static func closeBatch(batchID: String, to writer: inout JSONWriter) {
        writer.raw("],\"batch_id\":")
        writer.string(batchID)
        writer.raw("}")
    }

    /// The whole batch document around already-encoded, comma-separated events.
    static func batch(agent: String, batchID: String, events: [UInt8]) -> [UInt8] {
        var writer = JSONWriter(capacity: events.count + 128)
        openBatch(agent: agent, to: &writer)
        writer.bytes.append(contentsOf: events)
        closeBatch(batchID: batchID, to: &writer)
        return writer.bytes
    }

    /// Gzips a body (one-off; the tailer keeps a ``GzipCompressor`` for its batches).
    /// - Throws: ``AgentError/encoding(_:)``.
    static func gzip(_ bytes: [UInt8]) throws(AgentError) -> [UInt8] {
        try GzipCompressor().compress(bytes)
    }
}

/// gzip (zlib level 1) with one zlib stream and its byte buffers kept from body to body.
///
/// Not thread-safe: one owner at a time.
final class GzipCompressor {
    private let compressor: ZlibCompressor
    private var input = ByteBufferAllocator().buffer(capacity: 0)
    private var output = ByteBufferAllocator().buffer(capacity: 0)

    /// - Throws: ``AgentError/encoding(_:)`` when zlib cannot be set up.
    init() throws(AgentError) {
        do {
            compressor = try ZlibCompressor(
                algorithm: .gzip, configuration: .init(compressionLevel: .fastestCompression))
        } catch {
            throw .encoding("gzip: \(error)")
        }
    }

    /// The gzip member of `bytes`.
    /// - Throws: ``AgentError/encoding(_:)``.
    func compress(_ bytes: [UInt8]) throws(AgentError) -> [UInt8] {
        input.clear()
        input.writeBytes(bytes)
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
