import YujingCore

/// Filters for listing warnings; `nil` fields do not filter.
public struct WarningFilter: Sendable, Hashable {
    /// Level.
    public var level: WarningLevel?
    /// State.
    public var state: WarningState?
    /// Rule id.
    public var rule: String?
    /// Dataset id.
    public var dataset: String?
    /// Subject (masked form, as in labels).
    public var subject: String?
    /// Only this drill's warnings (nil: real warnings only; drill warnings never mix with real ones).
    public var drill: String?
    /// Most rows.
    public var limit: Int

    /// Creates a filter.
    /// - Parameters:
    ///   - level: Level.
    ///   - state: State.
    ///   - rule: Rule.
    ///   - dataset: Dataset.
    ///   - subject: Subject.
    ///   - limit: Most rows (default 100).
    public init(
        level: WarningLevel? = nil, state: WarningState? = nil, rule: String? = nil, dataset: String? = nil,
        subject: String? = nil, limit: Int = 100
    ) {
        self.level = level
        self.state = state
        self.rule = rule
        self.dataset = dataset
        self.subject = subject
        self.limit = limit
    }
}
