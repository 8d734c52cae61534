import YujingCore

/// One event of an ingest batch, as stored.
public enum IngestItem: Sendable, Hashable {
    /// An access-log event.
    case access(AccessEvent)
    /// A dataset finding from the detector.
    case finding(StoredFinding)
    /// An agent heartbeat.
    case heartbeat(HeartbeatEvent)

    /// The event the correlation engine sees.
    public var engineEvent: EngineEvent {
        switch self {
        case .access(let event): .access(event)
        case .finding(let finding): .finding(finding.event)
        case .heartbeat(let event): .heartbeat(event)
        }
    }
}
