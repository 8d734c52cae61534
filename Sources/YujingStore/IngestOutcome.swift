/// What happened to an ingest batch.
public enum IngestOutcome: Sendable, Hashable {
    /// Stored for the first time, with the number of events.
    case stored(events: Int)
    /// `(agent, batch_id)` had been stored before: nothing was written again.
    case duplicate
}
