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

    /// The whole batch document around already-encoded, comma-separated events.
    static func batch(agent: String, batchID: String, events: [UInt8]) -> [UInt8] {
        var writer = JSONWriter(capacity: events.count + 128)
        writer.raw("{\"agent\":")
        writer.string(agent)
        writer.key("batch_id")
        writer.string(batchID)
        writer.raw(",\"events\":[")
        writer.bytes.append(contentsOf: events)
        writer.raw("]}")
        return writer.bytes
    }

    /// Gzips a body.
    /// - Throws: ``AgentError/encoding(_:)``.
    static func gzip(_ bytes: [UInt8]) throws(AgentError) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let compressed = try buffer.compress(
                with: .gzip(configuration: .init(compressionLevel: .fastestCompression)))
            return Array(compressed.readableBytesView)
        } catch {
            throw .encoding("gzip: \(error)")
        }
    }
}
