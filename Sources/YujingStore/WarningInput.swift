import YujingCore

/// A raised condition to fold into the warning table (from a correlation-engine signal).
public struct WarningInput: Sendable, Hashable {
    /// Fingerprint: hash of the rule id and group-key values.
    public var fingerprint: String
    /// Rule id.
    public var rule: String
    /// Rule title.
    public var title: String
    /// Level reached.
    public var level: WarningLevel
    /// Labels (masked values only).
    public var labels: [String: String]
    /// Annotations.
    public var annotations: [String: String]
    /// Masked evidence summary.
    public var evidence: String
    /// Event time of the condition, epoch ms.
    public var timeMillis: Int64

    /// Creates an input.
    /// - Parameters:
    ///   - fingerprint: Fingerprint.
    ///   - rule: Rule id.
    ///   - title: Title.
    ///   - level: Level.
    ///   - labels: Labels.
    ///   - annotations: Annotations.
    ///   - evidence: Evidence.
    ///   - timeMillis: Event time.
    public init(
        fingerprint: String, rule: String, title: String, level: WarningLevel, labels: [String: String],
        annotations: [String: String], evidence: String, timeMillis: Int64
    ) {
        self.fingerprint = fingerprint
        self.rule = rule
        self.title = title
        self.level = level
        self.labels = labels
        self.annotations = annotations
        self.evidence = evidence
        self.timeMillis = timeMillis
    }
}
