import Foundation

/// Any event the correlation engine evaluates: an access, a dataset finding or a heartbeat.
///
/// Rules read events through ``value(of:)`` so that one rule language covers every kind.
public enum EngineEvent: Sendable, Hashable, Codable {
    /// A request to the platform.
    case access(AccessEvent)
    /// Identifiers found in a released dataset.
    case finding(FindingEvent)
    /// An agent's heartbeat.
    case heartbeat(HeartbeatEvent)

    /// Event time in epoch milliseconds.
    public var timeMillis: Int64 {
        switch self {
        case .access(let event): event.timeMillis
        case .finding(let event): event.timeMillis
        case .heartbeat(let event): event.timeMillis
        }
    }

    /// Event time as a `Date`.
    public var time: Date { Date(timeIntervalSince1970: Double(timeMillis) / 1000) }

    /// The kind name: `access`, `finding` or `heartbeat`.
    public var kindName: String {
        switch self {
        case .access: "access"
        case .finding: "finding"
        case .heartbeat: "heartbeat"
        }
    }

    /// Reads one field.
    /// - Parameter field: The field.
    /// - Returns: Its value, or `nil` when this event has no such field (or it is empty).
    @inlinable
    public func value(of field: EventField) -> FieldValue? {
        // One flat switch per kind, reading only the field asked for: the hot path of every rule condition.
        switch self {
        case .access(let event):
            switch field {
            case .kind: return .text("access")
            case .node: return event.node.isEmpty ? nil : .text(event.node)
            case .ip: return event.clientIP.isEmpty ? nil : .text(event.clientIP)
            case .subject:
                guard let subject = event.subject else { return nil }
                return .text(subject.id)
            case .subjectKind:
                guard let subject = event.subject else { return nil }
                return .text(subject.kind.rawValue)
            case .method: return .text(event.method)
            case .path: return .text(event.path)
            case .query:
                guard let query = event.query else { return nil }
                return .text(query)
            case .dataset:
                guard let dataset = event.dataset else { return nil }
                return .text(dataset)
            case .channel:
                guard let channel = event.channel else { return nil }
                return .text(channel.rawValue)
            case .status: return .number(Double(event.status))
            case .bytes: return .number(Double(event.bytes))
            case .userAgent: return .text(event.userAgent)
            case .drill:
                guard let drill = event.drillID else { return nil }
                return .text(drill)
            case .agent, .findingKind, .findingCount, .file: return nil
            }
        case .finding(let event):
            switch field {
            case .kind: return .text("finding")
            case .agent: return .text(event.agent)
            case .dataset: return .text(event.dataset)
            case .file: return .text(event.file)
            case .findingKind: return .text(event.kind)
            case .findingCount: return .number(Double(event.count))
            case .drill:
                guard let drill = event.drillID else { return nil }
                return .text(drill)
            default: return nil
            }
        case .heartbeat(let event):
            switch field {
            case .kind: return .text("heartbeat")
            case .agent: return .text(event.agent)
            case .node: return event.node.isEmpty ? nil : .text(event.node)
            case .drill:
                guard let drill = event.drillID else { return nil }
                return .text(drill)
            default: return nil
            }
        }
    }

    /// The drill an event belongs to, if it was injected by one.
    public var drillID: String? {
        switch self {
        case .access(let event): event.drillID
        case .finding(let event): event.drillID
        case .heartbeat(let event): event.drillID
        }
    }

    /// The subject of an access event, if any.
    public var subject: Subject? {
        if case .access(let event) = self { return event.subject }
        return nil
    }
}
