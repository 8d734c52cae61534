/// Calendar arithmetic without Foundation: proleptic Gregorian dates to epoch milliseconds.
enum CivilTime {
    /// Days since 1970-01-01 for a civil date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Epoch milliseconds for a local civil time at a UTC offset in minutes.
    static func epochMillis(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millis: Int, offsetMinutes: Int
    ) -> Int64 {
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return Int64(seconds) * 1_000 + Int64(millis)
    }

    /// Whether the fields are in range (seconds up to 60 for leap seconds).
    static func isValid(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Bool {
        (1...12).contains(month) && (1...31).contains(day) && (0...23).contains(hour) && (0...59).contains(minute)
            && (0...60).contains(second) && (1...9999).contains(year)
    }

    /// Month number for a three-letter English abbreviation (any case), or 0.
    static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
        switch (a | 0x20, b | 0x20, c | 0x20) {
        case (0x6A, 0x61, 0x6E): 1  // jan
        case (0x66, 0x65, 0x62): 2  // feb
        case (0x6D, 0x61, 0x72): 3  // mar
        case (0x61, 0x70, 0x72): 4  // apr
        case (0x6D, 0x61, 0x79): 5  // may
        case (0x6A, 0x75, 0x6E): 6  // jun
        case (0x6A, 0x75, 0x6C): 7  // jul
        case (0x61, 0x75, 0x67): 8  // aug
        case (0x73, 0x65, 0x70): 9  // sep
        case (0x6F, 0x63, 0x74): 10  // oct
        case (0x6E, 0x6F, 0x76): 11  // nov
        case (0x64, 0x65, 0x63): 12  // dec
        default: 0
        }
    }
}
