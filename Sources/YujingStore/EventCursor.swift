/// Highest stored row ids per event table: where a snapshot stops and replay resumes.
public struct EventCursor: Sendable, Hashable {
    /// Highest `access_event.id`.
    public var access: Int64
    /// Highest `finding.id`.
    public var finding: Int64
    /// Highest `heartbeat.id`.
    public var heartbeat: Int64

    /// Creates a cursor.
    /// - Parameters:
    ///   - access: Access row id.
    ///   - finding: Finding row id.
    ///   - heartbeat: Heartbeat row id.
    public init(access: Int64 = 0, finding: Int64 = 0, heartbeat: Int64 = 0) {
        self.access = access
        self.finding = finding
        self.heartbeat = heartbeat
    }
}
