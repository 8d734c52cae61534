import YujingCore

/// A condition on one field of an event. Conditions in a list must all hold.
///
/// A test on an absent field fails, except `exists: false` and `not_equals`.
public struct FieldCondition: Sendable, Hashable, Codable {
    /// The field tested.
    public var field: EventField
    /// The test.
    public var test: ConditionTest
    /// Whether text tests ignore ASCII case.
    public var ignoreCase: Bool

    /// Creates a condition.
    /// - Parameters:
    ///   - field: Field.
    ///   - test: Test.
    ///   - ignoreCase: Whether text tests ignore ASCII case.
    public init(field: EventField, test: ConditionTest, ignoreCase: Bool = false) {
        self.field = field
        self.test = test
        self.ignoreCase = ignoreCase
    }
}
