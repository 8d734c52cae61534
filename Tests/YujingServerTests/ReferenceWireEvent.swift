import Foundation
import YujingCore
import YujingServer
import YujingStore

/// The ingest decoder the daemon used before ``BatchDecoder`` (Foundation's `JSONDecoder` and Codable), kept as
/// the oracle of the differential tests: the hand-written decoder must accept, build and reject exactly alike.
/// A decoder's answer: the batch, or the error text the daemon answers 400 with.
enum DecodeOutcome {
    case success(IngestBatch)
    case failure(String)

    var failureText: String? {
        if case .failure(let text) = self { return text }
        return nil
    }
}

enum ReferenceDecoder {
    /// The batch, or the error text the daemon answered with.
    static func decode(_ data: Data) -> DecodeOutcome {
        do {
            let wire = try JSONDecoder().decode(WireBatch.self, from: data)
            return .success(
                IngestBatch(
                    agent: wire.agent, batchID: wire.batchID, items: wire.events.map { $0.item(agent: wire.agent) }))
        } catch let error as DecodingError {
            return .failure(describe(error))
        } catch {
            return .failure("invalid JSON: \(error)")
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

/// One event on the wire; `type` selects `access`, `finding` or `heartbeat`.
struct WireEvent: Decodable {
    let make: @Sendable (String) -> IngestItem

    func item(agent: String) -> IngestItem { make(agent) }

    enum CodingKeys: String, CodingKey {
        case type, time, node, ip, subject, method, path, query, dataset, channel, status, bytes, drill, file, kind
        case count, agent, metrics
        case subjectKind = "subject_kind"
        case userAgent = "user_agent"
        case maskedSamples = "masked_samples"
        case keyedHashes = "keyed_hashes"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        let time = try Self.decodeTime(c)
        let drill = try c.decodeIfPresent(String.self, forKey: .drill)
        switch type {
        case "access":
            let ip = try c.decode(String.self, forKey: .ip)
            let path = try c.decode(String.self, forKey: .path)
            var subject: Subject?
            if let id = try c.decodeIfPresent(String.self, forKey: .subject) {
                let kindText = try c.decodeIfPresent(String.self, forKey: .subjectKind) ?? "user"
                guard let kind = Subject.Kind(rawValue: kindText) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .subjectKind, in: c, debugDescription: "expected user, app_key or token")
                }
                subject = Subject(kind: kind, id: id)
            }
            var channel: AccessChannel?
            if let text = try c.decodeIfPresent(String.self, forKey: .channel) {
                guard let value = AccessChannel(rawValue: text) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .channel, in: c, debugDescription: "expected download, api or sandbox")
                }
                channel = value
            }
            let status = try c.decodeIfPresent(Int.self, forKey: .status) ?? 200
            guard (100...599).contains(status) else {
                throw DecodingError.dataCorruptedError(forKey: .status, in: c, debugDescription: "not an HTTP status")
            }
            let bytes = try c.decodeIfPresent(Int64.self, forKey: .bytes) ?? 0
            guard bytes >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .bytes, in: c, debugDescription: "negative")
            }
            let event = AccessEvent(
                timeMillis: time, node: try c.decodeIfPresent(String.self, forKey: .node) ?? "", clientIP: ip,
                subject: subject, method: try c.decodeIfPresent(String.self, forKey: .method) ?? "GET", path: path,
                query: try c.decodeIfPresent(String.self, forKey: .query),
                dataset: try c.decodeIfPresent(String.self, forKey: .dataset), channel: channel, status: status,
                bytes: bytes, userAgent: try c.decodeIfPresent(String.self, forKey: .userAgent) ?? "", drillID: drill)
            make = { _ in .access(event) }
        case "finding":
            let dataset = try c.decode(String.self, forKey: .dataset)
            let file = try c.decode(String.self, forKey: .file)
            let kind = try c.decode(String.self, forKey: .kind)
            let count = try c.decode(Int.self, forKey: .count)
            guard count >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .count, in: c, debugDescription: "negative")
            }
            let masked = try c.decodeIfPresent([String].self, forKey: .maskedSamples) ?? []
            let hashes = try c.decodeIfPresent([String].self, forKey: .keyedHashes) ?? []
            let eventAgent = try c.decodeIfPresent(String.self, forKey: .agent)
            make = { agent in
                .finding(
                    StoredFinding(
                        event: FindingEvent(
                            timeMillis: time, agent: eventAgent ?? agent, dataset: dataset, file: file, kind: kind,
                            count: count, maskedSamples: masked, drillID: drill),
                        keyedHashes: hashes))
            }
        case "heartbeat":
            let node = try c.decodeIfPresent(String.self, forKey: .node) ?? ""
            let eventAgent = try c.decodeIfPresent(String.self, forKey: .agent)
            let metrics = try c.decodeIfPresent([String: Int64].self, forKey: .metrics)
            make = { agent in
                .heartbeat(
                    HeartbeatEvent(
                        timeMillis: time, agent: eventAgent ?? agent, node: node, drillID: drill, metrics: metrics))
            }
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "expected access, finding or heartbeat")
        }
    }

    /// `time`: RFC 3339 text (`2026-03-01T08:00:00Z`, fractions and offsets allowed) or epoch milliseconds.
    static func decodeTime(_ c: KeyedDecodingContainer<CodingKeys>) throws -> Int64 {
        if let millis = try? c.decode(Int64.self, forKey: .time) { return millis }
        let text = try c.decode(String.self, forKey: .time)
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
        {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        throw DecodingError.dataCorruptedError(
            forKey: .time, in: c, debugDescription: "expected RFC 3339 time or epoch milliseconds")
    }
}
