/// Validation of resident identity card numbers (GB 11643-1999, 18 characters; GB 11643-1989, 15 digits),
/// residence permits for Hong Kong, Macao and Taiwan residents (810000/820000/830000) and the foreigner
/// permanent residence card (leading 9). Works on ASCII bytes; never allocates.
public enum ResidentIDValidator {
    /// The result of validating an 18-character candidate.
    public struct Verdict: Sendable, Equatable {
        /// The birth date encoded in positions 7–14.
        public var birthDate: CalendarDay
        /// The GB/T 2260 status of the six-digit division code.
        public var county: DivisionCodes.CountyStatus
        /// True for the foreigner permanent residence card (leading digit 9).
        public var isForeignerCard: Bool
        /// True for residence permits of Hong Kong, Macao and Taiwan residents (81/82/83).
        public var isResidencePermit: Bool
    }

    /// Why a candidate is not a resident ID.
    public enum Rejection: Error, Sendable, Equatable {
        case format, checksum, province, date, future, tooOld
    }

    /// Computes the MOD 11-2 check character of the first 17 digits.
    ///
    /// Horner's rule over the digits gives `r = Σ a_i·2^(17-i)`; the weighted sum with `W_i = 2^(18-i)` is
    /// then `S ≡ 2r (mod 11)`, and the check value is `(12 − S) mod 11` (10 → `X`).
    /// - Parameter digits: At least 17 ASCII digits.
    /// - Returns: The check character (`0`–`9` or `X`), or nil if a byte is not a digit.
    @inline(__always)
    public static func checkCharacter(_ digits: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard digits.count >= 17, let p = digits.baseAddress else { return nil }
        var r = 0
        for i in 0..<17 {
            let d = Int(p[i]) &- 48
            guard d >= 0, d <= 9 else { return nil }
            r = r &* 2 &+ d
        }
        let value = (12 &- (2 &* r) % 11) % 11
        return value == 10 ? UInt8(ascii: "X") : UInt8(48 &+ value)
    }

    /// Validates an 18-character candidate: shape, MOD 11-2 check character (`X` or `x`), province,
    /// calendar birth date, not after `today`, not before `minimumBirthYear`.
    /// - Parameters:
    ///   - id: Exactly 18 ASCII bytes.
    ///   - today: The scan date.
    ///   - minimumBirthYear: Oldest plausible birth year.
    /// - Returns: The verdict, or why it was rejected.
    public static func validate(
        _ id: UnsafeBufferPointer<UInt8>, today: CalendarDay, minimumBirthYear: Int = 1900
    ) -> Result<Verdict, Rejection> {
        guard id.count == 18 else { return .failure(.format) }
        var last = id[17]
        if last == UInt8(ascii: "x") { last = UInt8(ascii: "X") }
        guard let expected = checkCharacter(id) else { return .failure(.format) }
        guard last == expected else {
            let isDigitOrX = (last >= 48 && last <= 57) || last == UInt8(ascii: "X")
            return .failure(isDigitOrX ? .checksum : .format)
        }
        let first = Int(id[0]) - 48
        let isForeigner = first == 9
        let province = first * 10 + Int(id[1]) - 48
        if !isForeigner {
            guard DivisionCodes.isProvince(province) else { return .failure(.province) }
        }
        guard let date = structuredDate(id, offset: 6) else { return .failure(.date) }
        guard date <= today else { return .failure(.future) }
        guard date.year >= minimumBirthYear else { return .failure(.tooOld) }
        let code = number(id, 0, 6)
        let county: DivisionCodes.CountyStatus = isForeigner ? .current : DivisionCodes.status(of: code)
        return .success(
            Verdict(
                birthDate: date, county: county, isForeignerCard: isForeigner,
                isResidencePermit: province >= 81 && province <= 83))
    }

    /// Whether an 18-digit candidate has an ID's *structure* (province and a real, past birth date),
    /// regardless of its check character. Column profiling uses this to tell ID columns (nearly all
    /// structured values pass the checksum) from serial-number columns (about 1 in 11 do).
    /// - Parameters:
    ///   - id: 18 ASCII bytes.
    ///   - today: The scan date.
    ///   - minimumBirthYear: Oldest plausible birth year.
    /// - Returns: Whether province and date are plausible.
    public static func hasStructure(
        _ id: UnsafeBufferPointer<UInt8>, today: CalendarDay, minimumBirthYear: Int = 1900
    ) -> Bool {
        guard id.count == 18, let p = id.baseAddress else { return false }
        for i in 0..<17 where id[i] < 48 || id[i] > 57 { return false }
        return hasStructure(
            digits: p, todayKey: today.key, minimumBirthYear: minimumBirthYear)
    }

    /// ``hasStructure(_:today:minimumBirthYear:)`` for a candidate whose first 17 bytes are known to be
    /// digits, with the scan date as the integer yyyymmdd (the scanner's hot path).
    /// - Parameters:
    ///   - p: At least 14 ASCII digits.
    ///   - todayKey: The scan date as yyyymmdd.
    ///   - minimumBirthYear: Oldest plausible birth year.
    /// - Returns: Whether province and date are plausible.
    @inline(__always)
    static func hasStructure(digits p: UnsafePointer<UInt8>, todayKey: Int, minimumBirthYear: Int) -> Bool {
        @inline(__always) func d(_ k: Int) -> Int { Int(p[k]) &- 48 }
        let first = d(0)
        guard first == 9 || DivisionCodes.isProvince(first &* 10 &+ d(1)) else { return false }
        let year = d(6) &* 1000 &+ d(7) &* 100 &+ d(8) &* 10 &+ d(9)
        let month = d(10) &* 10 &+ d(11)
        let day = d(12) &* 10 &+ d(13)
        guard month >= 1, month <= 12, day >= 1, year >= minimumBirthYear,
            day <= CalendarDay.daysIn(month: month, year: year)
        else { return false }
        return CalendarDay(year: year, month: month, day: day).key <= todayKey
    }

    /// Validates a legacy 15-digit ID: province, and a real date `19YYMMDD`. There is no check digit,
    /// so callers must require context.
    /// - Parameters:
    ///   - id: Exactly 15 ASCII digits.
    ///   - today: The scan date.
    /// - Returns: The birth date and county status, or nil.
    public static func validateLegacy(
        _ id: UnsafeBufferPointer<UInt8>, today: CalendarDay
    ) -> (birthDate: CalendarDay, county: DivisionCodes.CountyStatus)? {
        guard id.count == 15 else { return nil }
        for byte in id where byte < 48 || byte > 57 { return nil }
        let province = number(id, 0, 2)
        guard province / 10 >= 1, province / 10 <= 8, DivisionCodes.isProvince(province) else { return nil }
        let date = CalendarDay(year: 1900 + number(id, 6, 2), month: number(id, 8, 2), day: number(id, 10, 2))
        guard date.isValid, date <= today else { return nil }
        return (date, DivisionCodes.status(of: number(id, 0, 6)))
    }

    /// Upgrades a 15-digit ID to its 18-character form (insert `19`, append the check character).
    /// - Parameter id: 15 ASCII digits.
    /// - Returns: The 18 ASCII bytes, or nil.
    public static func upgradeLegacy(_ id: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard id.count == 15 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(18)
        out.append(contentsOf: id[0..<6])
        out.append(contentsOf: [49, 57])
        out.append(contentsOf: id[6..<15])
        let check = out.withUnsafeBufferPointer { checkCharacter($0) }
        guard let check else { return nil }
        out.append(check)
        return out
    }

    /// Reads `YYYYMMDD` at an offset; nil when it is not a real calendar date.
    static func structuredDate(_ id: UnsafeBufferPointer<UInt8>, offset: Int) -> CalendarDay? {
        let date = CalendarDay(
            year: number(id, offset, 4), month: number(id, offset + 4, 2), day: number(id, offset + 6, 2))
        return date.isValid ? date : nil
    }

    /// Decimal value of `count` ASCII digits at `offset` (callers guarantee digits).
    @inline(__always)
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> Int {
        var value = 0
        for i in offset..<(offset + count) { value = value &* 10 &+ (Int(bytes[i]) &- 48) }
        return value
    }
}
