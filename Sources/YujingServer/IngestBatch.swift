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

    /// Decodes a body, rejecting the whole batch on the first bad event.
    /// - Parameter data: JSON bytes.
    /// - Returns: The batch.
    /// - Throws: ``ServerError/invalidBatch(_:)`` naming the field, e.g. `events[3].time: ...`.
    public static func decode(_ data: Data) throws(ServerError) -> IngestBatch {
        do {
            let wire = try JSONDecoder().decode(WireBatch.self, from: data)
            return IngestBatch(
                agent: wire.agent, batchID: wire.batchID, items: wire.events.map { $0.item(agent: wire.agent) })
        } catch let error as DecodingError {
            throw .invalidBatch(Self.describe(error))
        } catch {
            throw .invalidBatch("invalid JSON: \(error)")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out.isEmpty ? "body" : out
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "body: not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "body: invalid"
        }
    }
}

struct WireBatch: Decodable {
    var agent: String
    var batchID: String
    var events: [WireEvent]

    enum CodingKeys: String, CodingKey {
        case agent
        case batchID = "batch_id"
        case events
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        agent = try c.decode(String.self, forKey: .agent)
        batchID = try c.decode(String.self, forKey: .batchID)
        guard !agent.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .agent, in: c, debugDescription: "must not be empty")
        }
        guard !batchID.isEmpty, batchID.utf8.count <= 200 else {
            throw DecodingError.dataCorruptedError(forKey: .batchID, in: c, debugDescription: "1 to 200 bytes")
        }
        events = try c.decode([WireEvent].self, forKey: .events)
    }
}
