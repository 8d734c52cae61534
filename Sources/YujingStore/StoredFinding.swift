import YujingCore

/// A dataset finding as ingested: the engine's event plus the keyed hashes of the identifiers (never clear values).
public struct StoredFinding: Sendable, Hashable {
    /// The finding event.
    public var event: FindingEvent
    /// Keyed hashes (HMAC) of the identifiers, for tracing the same value across datasets.
    public var keyedHashes: [String]

    /// Creates a stored finding.
    /// - Parameters:
    ///   - event: The event.
    ///   - keyedHashes: Keyed hashes.
    public init(event: FindingEvent, keyedHashes: [String] = []) {
        self.event = event
        self.keyedHashes = keyedHashes
    }
}
