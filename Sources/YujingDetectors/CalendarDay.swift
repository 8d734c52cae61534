/// A calendar day (proleptic Gregorian), used for birth-date plausibility. Pure value; the scan date is
/// an input so that detection is reproducible.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable {
    /// Four-digit year.
    public var year: Int
    /// Month 1...12.
    public var month: Int
    /// Day 1...31.
    public var day: Int

    /// Creates a day without validating it; see ``isValid``.
    /// - Parameters:
    ///   - year: Year.
    ///   - month: Month 1...12.
    ///   - day: Day of month.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether this is a real calendar date (leap years included, no February 30).
    public var isValid: Bool {
        guard month >= 1, month <= 12, day >= 1 else { return false }
        return day <= Self.daysIn(month: month, year: year)
    }

    /// The day as the integer yyyymmdd, which orders like the day (one comparison on hot paths).
    var key: Int { year * 10_000 + month * 100 + day }

    /// Number of days in a month.
    /// - Parameters:
    ///   - month: Month 1...12.
    ///   - year: Year, for February.
    /// - Returns: 28...31.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Gregorian leap-year rule.
    /// - Parameter year: Year.
    /// - Returns: Whether February has 29 days.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
