/// A saved correlation-engine snapshot with the last event row ids it covers.
public struct StoredSnapshot: Sendable, Hashable {
    /// Encoded engine state (JSON).
    public var state: [UInt8]
    /// Wall-clock time of the save, epoch ms.
    public var savedMillis: Int64
    /// Highest `access_event.id` folded into the state.
    public var lastAccessID: Int64
    /// Highest `finding.id` folded into the state.
    public var lastFindingID: Int64
    /// Highest `heartbeat.id` folded into the state.
    public var lastHeartbeatID: Int64

    /// Creates a snapshot value.
    /// - Parameters:
    ///   - state: Encoded state.
    ///   - savedMillis: Save time.
    ///   - lastAccessID: Covered access rows.
    ///   - lastFindingID: Covered finding rows.
    ///   - lastHeartbeatID: Covered heartbeat rows.
    public init(state: [UInt8], savedMillis: Int64, lastAccessID: Int64, lastFindingID: Int64, lastHeartbeatID: Int64) {
        self.state = state
        self.savedMillis = savedMillis
        self.lastAccessID = lastAccessID
        self.lastFindingID = lastFindingID
        self.lastHeartbeatID = lastHeartbeatID
    }
}
