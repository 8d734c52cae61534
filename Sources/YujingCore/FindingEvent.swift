/// A summary of identifiers found in one file of a released dataset, as reported by an agent.
///
/// It carries masked samples only, never clear values.
public struct FindingEvent: Sendable, Hashable, Codable {
    /// Event time (scan time) in epoch milliseconds.
    public var timeMillis: Int64
    /// The reporting agent.
    public var agent: String
    /// Dataset id.
    public var dataset: String
    /// File inside the dataset.
    public var file: String
    /// Identifier kind, the raw value of `IdentifierKind` (e.g. `cn_resident_id`).
    public var kind: String
    /// Number of identifiers of this kind found in the file.
    public var count: Int
    /// A few masked samples, e.g. `110***********002X`.
    public var maskedSamples: [String]
    /// The drill this finding belongs to, when injected by a drill.
    public var drillID: String?

    /// Creates a finding event.
    /// - Parameters:
    ///   - timeMillis: Scan time in epoch milliseconds.
    ///   - agent: Reporting agent.
    ///   - dataset: Dataset id.
    ///   - file: File inside the dataset.
    ///   - kind: Identifier kind raw value.
    ///   - count: Number of identifiers found.
    ///   - maskedSamples: Masked samples.
    ///   - drillID: Drill id.
    public init(
        timeMillis: Int64, agent: String, dataset: String, file: String, kind: String, count: Int,
        maskedSamples: [String] = [], drillID: String? = nil
    ) {
        self.timeMillis = timeMillis
        self.agent = agent
        self.dataset = dataset
        self.file = file
        self.kind = kind
        self.count = count
        self.maskedSamples = maskedSamples
        self.drillID = drillID
    }
}
