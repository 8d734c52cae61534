import YujingCore

/// One step in a warning's history.
public struct WarningHistoryEntry: Sendable, Hashable, Codable {
    /// Time, epoch ms (event time for engine steps, wall clock for people's).
    public var timeMillis: Int64
    /// `created`, `repeated`, `escalated`, `reopened`, `acknowledged`, `resolved`, `silenced`.
    public var action: String
    /// Who (token name or `engine`).
    public var author: String
    /// Level after the step.
    public var level: WarningLevel
    /// State after the step.
    public var state: WarningState
    /// Comment.
    public var comment: String?

    /// Creates an entry.
    /// - Parameters:
    ///   - timeMillis: Time.
    ///   - action: Action.
    ///   - author: Author.
    ///   - level: Level.
    ///   - state: State.
    ///   - comment: Comment.
    public init(
        timeMillis: Int64, action: String, author: String, level: WarningLevel, state: WarningState, comment: String?
    ) {
        self.timeMillis = timeMillis
        self.action = action
        self.author = author
        self.level = level
        self.state = state
        self.comment = comment
    }
}
