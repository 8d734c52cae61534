import YujingCore

/// A stored warning: one per fingerprint, with its count, level and lifecycle state.
public struct WarningRecord: Sendable, Hashable, Codable {
    /// Row id.
    public var id: Int64
    /// Fingerprint.
    public var fingerprint: String
    /// Rule id.
    public var rule: String
    /// Rule title.
    public var title: String
    /// Highest level reached.
    public var level: WarningLevel
    /// State.
    public var state: WarningState
    /// Times the condition was raised into this warning.
    public var count: Int
    /// First event time, epoch ms.
    public var firstSeenMillis: Int64
    /// Latest event time, epoch ms.
    public var lastSeenMillis: Int64
    /// Dataset label, if any.
    public var dataset: String?
    /// Subject label (masked), if any.
    public var subject: String?
    /// Labels.
    public var labels: [String: String]
    /// Annotations.
    public var annotations: [String: String]
    /// Masked evidence.
    public var evidence: String
    /// Id of the level-I warning on the same dataset that inhibits this one.
    public var inhibitedBy: Int64?

    /// Creates a record.
    /// - Parameters:
    ///   - id: Id.
    ///   - fingerprint: Fingerprint.
    ///   - rule: Rule.
    ///   - title: Title.
    ///   - level: Level.
    ///   - state: State.
    ///   - count: Count.
    ///   - firstSeenMillis: First seen.
    ///   - lastSeenMillis: Last seen.
    ///   - dataset: Dataset.
    ///   - subject: Subject.
    ///   - labels: Labels.
    ///   - annotations: Annotations.
    ///   - evidence: Evidence.
    ///   - inhibitedBy: Inhibiting warning.
    public init(
        id: Int64, fingerprint: String, rule: String, title: String, level: WarningLevel, state: WarningState,
        count: Int, firstSeenMillis: Int64, lastSeenMillis: Int64, dataset: String?, subject: String?,
        labels: [String: String], annotations: [String: String], evidence: String, inhibitedBy: Int64?
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.rule = rule
        self.title = title
        self.level = level
        self.state = state
        self.count = count
        self.firstSeenMillis = firstSeenMillis
        self.lastSeenMillis = lastSeenMillis
        self.dataset = dataset
        self.subject = subject
        self.labels = labels
        self.annotations = annotations
        self.evidence = evidence
        self.inhibitedBy = inhibitedBy
    }
}
