/// A stored finding as operators see it: kind, count and masked samples, never a clear value or keyed hash.
public struct MaskedFinding: Sendable, Hashable {
    /// Event time, epoch ms.
    public var timeMillis: Int64
    /// Agent that scanned the file.
    public var agent: String
    /// File (redacted by the agent).
    public var file: String
    /// Identifier kind.
    public var kind: String
    /// Number of findings.
    public var count: Int
    /// Masked samples.
    public var maskedSamples: [String]

    /// Creates a value.
    /// - Parameters:
    ///   - timeMillis: Event time, epoch ms.
    ///   - agent: Agent.
    ///   - file: File.
    ///   - kind: Identifier kind.
    ///   - count: Count.
    ///   - maskedSamples: Masked samples.
    public init(timeMillis: Int64, agent: String, file: String, kind: String, count: Int, maskedSamples: [String]) {
        self.timeMillis = timeMillis
        self.agent = agent
        self.file = file
        self.kind = kind
        self.count = count
        self.maskedSamples = maskedSamples
    }
}
