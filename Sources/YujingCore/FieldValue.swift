/// The value of one ``EventField`` of an event.
public enum FieldValue: Sendable, Hashable {
    /// Text.
    case text(String)
    /// A number.
    case number(Double)

    /// The value as text; integral numbers render without a fraction (`401`, not `401.0`).
    public var text: String {
        switch self {
        case .text(let string): return string
        case .number(let number):
            if number.rounded() == number, abs(number) < 9.0e15 { return String(Int64(number)) }
            return String(number)
        }
    }

    /// The value as a number: numbers as they are, text when it parses as a number.
    public var number: Double? {
        switch self {
        case .number(let number): number
        case .text(let string): Double(string)
        }
    }
}
