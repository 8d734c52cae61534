/// What an API token may do.
public enum TokenRole: String, Sendable, Codable, CaseIterable, Hashable {
    /// Ingest only.
    case agent
    /// Security analyst: reads and handles warnings.
    case analyst
    /// Big-data center staff: reads and handles warnings.
    case datacenter
    /// Operations: reads and handles warnings.
    case ops
    /// Read-only access for auditors.
    case auditor
}
