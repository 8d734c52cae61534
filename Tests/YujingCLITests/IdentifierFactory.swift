import YujingTestSupport

/// Generates identifiers with valid check characters, and the decoys that fool regular expressions.
///
/// The check algorithms here are written from the standards (GB 11643 MOD 11-2, Luhn, GB 32100 MOD 31 with
/// the embedded GB 11714 check), independently of the detector under test.
struct IdentifierFactory {
    var rng: SeededGenerator

    /// County-level division codes that are current in GB/T 2260.
    static let areas = [
        "110105", "110108", "310104", "310115", "440113", "440305", "330106", "320102", "510107", "420106",
        "370102", "610113", "500103", "360426", "412723", "130503",
    ]
    /// Mobile prefixes of ordinary subscriber segments.
    static let mobilePrefixes = [
        "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158",
        "159", "166", "177", "180", "181", "182", "186", "187", "188", "189", "191", "195", "198", "199",
    ]
    /// The GB 32100 alphabet (no I, O, S, V, Z).
    static let usccAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
    }

    // MARK: - Check characters

    /// ISO 7064 MOD 11-2 over the first 17 digits.
    static func residentCheck(_ first17: String) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let digits = first17.prefix(17).compactMap { $0.wholeNumberValue }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return Array("10X98765432")[sum % 11]
    }

    /// Appends the Luhn digit to `body`.
    static func luhnComplete(_ body: String) -> String {
        let digits = body.compactMap { $0.wholeNumberValue }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            if index % 2 == 0 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return body + String((10 - sum % 10) % 10)
    }

    /// Whether `number` passes Luhn.
    static func luhnValid(_ number: String) -> Bool {
        luhnComplete(String(number.dropLast())) == number
    }

    /// The GB 11714 organisation-code check character of 8 characters.
    static func organisationCheck(_ body: String) -> Character {
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (character, weight) in zip(body, weights) {
            let value = character.wholeNumberValue ?? Int(character.asciiValue ?? 55) - 55
            sum += value * weight
        }
        let r = 11 - sum % 11
        return r == 10 ? "X" : r == 11 ? "0" : Character(String(r))
    }

    /// The GB 32100 MOD 31 check character of 17 characters.
    static func usccCheck(_ first17: String) -> Character {
        var sum = 0
        var weight = 1
        for character in first17.prefix(17) {
            sum += (usccAlphabet.firstIndex(of: character) ?? 0) * weight
            weight = weight * 3 % 31
        }
        return usccAlphabet[(31 - sum % 31) % 31]
    }

    /// The 18-character form of a legacy 15-digit ID (insert `19`, append the check character).
    static func upgradeLegacy(_ id15: String) -> String {
        let first17 = String(id15.prefix(6)) + "19" + String(id15.dropFirst(6))
        return first17 + String(residentCheck(first17))
    }

    // MARK: - Identifiers

    /// A birth date `YYYYMMDD` between 1950 and 2008.
    mutating func birthDate() -> String {
        let year = Int.random(in: 1950...2008, using: &rng)
        let month = Int.random(in: 1...12, using: &rng)
        let day = Int.random(in: 1...28, using: &rng)
        return String(year) + Self.two(month) + Self.two(day)
    }

    /// A valid 18-character resident ID; `checkX` forces (or forbids) the `X` check character.
    mutating func residentID(area: String? = nil, checkX: Bool = false) -> String {
        while true {
            let first17 = (area ?? rng.pick(Self.areas)) + birthDate() + rng.digits(3)
            let check = Self.residentCheck(first17)
            if (check == "X") == checkX { return first17 + String(check) }
        }
    }

    /// A residence permit for Hong Kong (810000), Macao (820000) or Taiwan (830000) residents.
    mutating func residencePermit(area: String) -> String {
        residentID(area: area)
    }

    /// A foreigner permanent residence card (2023 form: `9`, province, nationality, birth date, serial).
    mutating func foreignerCard() -> String {
        residentID(area: "9" + "31" + "840")
    }

    /// A legacy 15-digit ID: area, `YYMMDD` (19xx), serial.
    mutating func legacyID() -> String {
        let date = birthDate()
        let year = Int.random(in: 50...79, using: &rng)
        return rng.pick(Self.areas) + String(year) + String(date.suffix(4)) + rng.digits(3)
    }

    /// A mobile number (never a placeholder such as `13800138000`).
    mutating func mobile() -> String {
        while true {
            let number = rng.pick(Self.mobilePrefixes) + rng.digits(8)
            if Set(number.dropFirst(3)).count > 2, number != "13800138000" { return number }
        }
    }

    /// A Luhn-valid UnionPay card of 16 or 19 digits.
    mutating func unionPay(length: Int) -> String {
        Self.luhnComplete("62" + rng.digits(length - 3))
    }

    /// A Luhn-valid 16-digit Visa card.
    mutating func visa() -> String {
        Self.luhnComplete("4" + rng.digits(14))
    }

    /// A Luhn-valid 16-digit Mastercard in the 2221–2720 series.
    mutating func mastercard2Series() -> String {
        Self.luhnComplete(String(Int.random(in: 2221...2720, using: &rng)) + rng.digits(11))
    }

    /// A valid unified social credit code with the given authority and type (`91`, `92`, `12`, ...).
    /// `digitBody` makes the organisation-code body all digits.
    mutating func uscc(prefix: String, digitBody: Bool = false) -> String {
        let letters = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var body = ""
        for index in 0..<8 {
            body.append(digitBody || index < 2 ? Character(rng.digits(1)) : rng.pick(letters))
        }
        let first17 = prefix + rng.pick(Self.areas) + body + String(Self.organisationCheck(body))
        return first17 + String(Self.usccCheck(first17))
    }

    /// A valid code whose first 17 characters are digits and whose check character is `X` (an ID shape).
    mutating func usccEndingInX(prefix: String) -> String {
        while true {
            let code = uscc(prefix: prefix, digitBody: true)
            if code.hasSuffix("X"), code.dropLast().allSatisfy(\.isNumber) { return code }
        }
    }

    /// An ordinary electronic passport: `E` + 8 digits, or `E` + serial letter + 7 digits.
    mutating func passport(letterSerial: Bool = false) -> String {
        letterSerial ? "E" + String(rng.pick(Array("ABCDEFGHJKLMNPQRSTUVWXYZ"))) + rng.digits(7) : "E" + rng.digits(8)
    }

    /// A travel permit: `H`/`M` + 8 or 10 digits, `C` + 8 digits, or `C` + letter + 7 digits.
    mutating func travelPermit(_ letter: String, digits: Int) -> String {
        letter + rng.digits(digits)
    }

    /// A personal webmail address.
    mutating func email(domain: String) -> String {
        let local = rng.pick(["zhang", "li.wei", "wangfang", "liu_yang", "chenjing", "yang.min"]) + rng.digits(4)
        return domain == "qq.com"
            ? String(Int.random(in: 10_000_000...2_999_999_999, using: &rng)) + "@qq.com"
            : local + "@" + domain
    }

    // MARK: - Decoys

    /// An order/case number built as area + date (2015–2024) + 4-digit serial. With `checksumValid` its
    /// last digit happens to be the MOD 11-2 check character (about 1 in 11 real ones do).
    mutating func orderNumber(area: String, checksumValid: Bool) -> String {
        while true {
            let year = Int.random(in: 2015...2024, using: &rng)
            let date =
                String(year) + Self.two(Int.random(in: 1...12, using: &rng))
                + Self.two(Int.random(in: 1...28, using: &rng))
            let first17 = area + date + rng.digits(3)
            let check = Self.residentCheck(first17)
            if checksumValid {
                if check != "X" { return first17 + String(check) }
            } else {
                let last = rng.digits(1)
                if Character(last) != check { return first17 + last }
            }
        }
    }

    /// A valid ID with its check character replaced.
    mutating func wrongCheck() -> String {
        let id = residentID()
        let check = id.last ?? "0"
        let replacement = rng.pick(Array("0123456789X").filter { $0 != check })
        return String(id.dropLast()) + String(replacement)
    }

    /// An ID whose check character is right but whose date is impossible (`0230`, month 13).
    mutating func impossibleDate(_ monthDay: String) -> String {
        let first17 = rng.pick(Self.areas) + String(Int.random(in: 1950...2000, using: &rng)) + monthDay + rng.digits(3)
        return first17 + String(Self.residentCheck(first17))
    }

    /// A Twitter-style snowflake id (19 digits).
    mutating func snowflake() -> String {
        let millis = UInt64.random(in: 1_600_000_000_000...1_750_000_000_000, using: &rng) - 1_288_834_974_657
        let worker = UInt64.random(in: 0...1023, using: &rng)
        let sequence = UInt64.random(in: 0...4095, using: &rng)
        return String((millis << 22) | (worker << 12) | sequence)
    }

    /// Epoch milliseconds (13 digits).
    mutating func epochMillis() -> String {
        String(Int.random(in: 1_600_000_000_000...1_750_000_000_000, using: &rng))
    }

    /// A `yyyyMMddHHmmssSSS` timestamp (17 digits), or with microseconds (20 digits).
    mutating func compactTimestamp(digits: Int) -> String {
        let base =
            String(Int.random(in: 2015...2025, using: &rng)) + Self.two(Int.random(in: 1...12, using: &rng))
            + Self.two(Int.random(in: 1...28, using: &rng)) + Self.two(Int.random(in: 0...23, using: &rng))
            + Self.two(Int.random(in: 0...59, using: &rng)) + Self.two(Int.random(in: 0...59, using: &rng))
        return base + rng.digits(digits - 14)
    }

    /// A Luhn-valid 16-digit number with a card prefix (as an order or transaction number).
    mutating func luhnValidSerial() -> String {
        let prefix = rng.pick(["62", "4", "53"])
        return Self.luhnComplete(prefix + rng.digits(15 - prefix.count))
    }

    static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
