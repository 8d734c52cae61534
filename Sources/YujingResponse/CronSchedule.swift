import Foundation

/// A five-field cron schedule (`minute hour day-of-month month day-of-week`, as in crontab(5)): `*`, lists `1,15`,
/// ranges `1-5`, steps `*/10` and `0-30/5`; day-of-week 0–7 with 0 and 7 Sunday. When both day fields are
/// restricted, a day matches either (Vixie cron's rule).
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool
    /// The text it was parsed from.
    public let description: String

    /// Parses a schedule.
    /// - Parameter text: Five fields.
    /// - Throws: A message naming the bad field.
    public init(_ text: String) throws(CronError) {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else { throw CronError("expected 5 fields (minute hour day month weekday), got \(fields.count)") }
        minutes = try Self.field(fields[0], 0...59, "minute")
        hours = try Self.field(fields[1], 0...23, "hour")
        days = try Self.field(fields[2], 1...31, "day of month")
        months = try Self.field(fields[3], 1...12, "month")
        let weekdayValues = try Self.field(fields[4], 0...7, "day of week")
        weekdays = Set(weekdayValues.map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
        description = fields.joined(separator: " ")
    }

    static func field(_ text: String, _ range: ClosedRange<Int>, _ name: String) throws(CronError) -> Set<Int> {
        var values: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw CronError("\(name): bad step in '\(part)'") }
                step = parsed
            }
            let base = pieces[0]
            var low = range.lowerBound
            var high = range.upperBound
            if base != "*" {
                let bounds = base.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                guard let first = Int(bounds[0]) else { throw CronError("\(name): '\(part)' is not a number") }
                low = first
                high = first
                if bounds.count == 2 {
                    guard let last = Int(bounds[1]) else { throw CronError("\(name): '\(part)' is not a range") }
                    high = last
                } else if pieces.count == 2 {
                    high = range.upperBound
                }
            }
            guard range.contains(low), range.contains(high), low <= high else {
                throw CronError("\(name): '\(part)' is outside \(range.lowerBound)-\(range.upperBound)")
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }

    /// Whether a minute (its calendar components) matches.
    func matches(_ c: DateComponents) -> Bool {
        guard let minute = c.minute, let hour = c.hour, let day = c.day, let month = c.month, let weekday = c.weekday
        else { return false }
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayMatch = days.contains(day)
        let weekdayMatch = weekdays.contains(weekday - 1)
        if daysRestricted && weekdaysRestricted { return dayMatch || weekdayMatch }
        return dayMatch && weekdayMatch
    }

    /// The latest due time at or before `date`, looking back at most `lookBack` seconds.
    /// - Parameters:
    ///   - date: Now.
    ///   - calendar: Calendar with the schedule's time zone.
    ///   - lookBack: Seconds.
    /// - Returns: The due time, or nil.
    public func previous(atOrBefore date: Date, calendar: Calendar, lookBack: TimeInterval = 35 * 86_400) -> Date? {
        let start = floor(date.timeIntervalSince1970 / 60) * 60
        var minute = start
        while minute >= start - lookBack {
            let candidate = Date(timeIntervalSince1970: minute)
            let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: candidate)
            if matches(c) { return candidate }
            minute -= 60
        }
        return nil
    }
}

/// A schedule that does not parse.
public struct CronError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
