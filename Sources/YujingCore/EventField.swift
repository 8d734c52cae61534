/// A field that rules can read from any ``EngineEvent``.
///
/// The raw values are the names used in rule files. A field that an event kind does not have reads as absent.
public enum EventField: String, Sendable, Codable, CaseIterable {
    /// Event kind: `access`, `finding` or `heartbeat`.
    case kind
    /// Node name (access, heartbeat).
    case node
    /// Agent name (finding, heartbeat).
    case agent
    /// Client IP (access).
    case ip
    /// Subject identifier (access).
    case subject
    /// Subject kind: `user`, `app_key`, `token` (access).
    case subjectKind = "subject_kind"
    /// HTTP method (access).
    case method
    /// Path without query (access).
    case path
    /// Redacted query string (access).
    case query
    /// Dataset id (access, finding).
    case dataset
    /// Access channel (access).
    case channel
    /// HTTP status (access, numeric).
    case status
    /// Response bytes (access, numeric).
    case bytes
    /// User agent (access).
    case userAgent = "user_agent"
    /// Drill id (access, finding).
    case drill
    /// Identifier kind of a finding, e.g. `cn_resident_id`.
    case findingKind = "finding.kind"
    /// Number of identifiers in a finding (numeric).
    case findingCount = "finding.count"
    /// File of a finding.
    case file

    /// Looks a field up by its rule-file name; `user-agent`/`useragent` and `finding_kind` style aliases are
    /// accepted too.
    /// - Parameter name: The name.
    /// - Returns: The field, or `nil` for an unknown name.
    public static func named(_ name: String) -> EventField? {
        if let field = EventField(rawValue: name) { return field }
        switch name {
        case "useragent", "user-agent", "ua": return .userAgent
        case "client_ip", "clientIP", "remote_addr": return .ip
        case "finding_kind": return .findingKind
        case "finding_count", "count": return .findingCount
        case "dataset_id": return .dataset
        case "subject.kind": return .subjectKind
        default: return nil
        }
    }

    /// Whether the field holds a number.
    public var isNumeric: Bool {
        switch self {
        case .status, .bytes, .findingCount: true
        default: false
        }
    }
}
