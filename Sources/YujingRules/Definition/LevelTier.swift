import YujingCore

/// A grade reached when a rule's measure (count, sum, distinct values…) is at least ``minimum``.
public struct LevelTier: Sendable, Hashable, Codable {
    /// The measure at which this tier applies.
    public var minimum: Double
    /// The warning level of the tier.
    public var level: WarningLevel

    /// Creates a tier.
    /// - Parameters:
    ///   - minimum: The measure at which it applies.
    ///   - level: Its level.
    public init(minimum: Double, level: WarningLevel) {
        self.minimum = minimum
        self.level = level
    }
}
