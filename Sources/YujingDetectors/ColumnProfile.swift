import YujingCore

/// Column-level evidence for one kind in one field: how many values had the *structure* of the kind (an
/// ID's province and birth date; a card's issuer prefix and length) and how many of those also passed the
/// check digit. A real ID column is nearly 100 % valid; a column of order or case numbers built as
/// area + date + serial converges to 1 in 11 (cards: 1 in 10), and its chance hits are suppressed.
struct ColumnProfile {
    /// How a column has been judged so far.
    enum Verdict {
        /// Not enough evidence yet: findings are held back.
        case undecided
        /// Identifier column: findings are reported.
        case identifiers
        /// Serial-number column: chance hits are suppressed.
        case serialNumbers
    }

    /// Structured values seen before a verdict is reached.
    static let decisionSample = 16
    /// Minimum share of structured values that must validate for an identifier column.
    static let identifierShare = 0.5

    private(set) var structured = 0
    private(set) var valid = 0
    private(set) var verdict: Verdict = .undecided

    /// Records one structured value; reaches a verdict once the sample is large enough.
    mutating func observe(valid isValid: Bool) {
        structured += 1
        if isValid { valid += 1 }
        if verdict == .undecided, structured >= Self.decisionSample {
            verdict = share >= Self.identifierShare ? .identifiers : .serialNumbers
        }
    }

    /// Decides on what was seen when the table ends: small samples are trusted unless clearly serial.
    mutating func decideAtEnd() {
        guard verdict == .undecided else { return }
        verdict = structured >= 4 && share < 0.34 ? .serialNumbers : .identifiers
    }

    /// The share of structured values that validated.
    var share: Double {
        structured == 0 ? 1 : Double(valid) / Double(structured)
    }
}
