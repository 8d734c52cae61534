/// Validation of the unified social credit code (GB 32100-2015): alphabet, registration authority and
/// entity type, the MOD 31 check character, and the embedded organisation code's GB 11714 check.
public enum SocialCreditCodeValidator {
    /// The 31-character alphabet (no I, O, S, V, Z); index = value.
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let orgWeights: [Int] = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Lookup tables, allocated once and never freed (read-only after initialisation).
    struct Tables: @unchecked Sendable {  // immutable raw pointers to static data
        /// Byte → value in the 31-character alphabet, or -1.
        let values: UnsafePointer<Int8>
        /// Registration-authority byte → bit mask of allowed entity-type digits (bit d for digit d).
        let entityTypes: UnsafePointer<UInt16>
    }

    static let tables: Tables = {
        let values = UnsafeMutablePointer<Int8>.allocate(capacity: 256)
        values.initialize(repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { values[Int(byte)] = Int8(index) }
        let types = UnsafeMutablePointer<UInt16>.allocate(capacity: 256)
        types.initialize(repeating: 0, count: 256)
        let pairs: [(Character, String)] = [
            ("1", "1239"), ("2", "19"), ("3", "123459"), ("4", "19"), ("5", "1239"), ("6", "129"), ("7", "129"),
            ("8", "19"), ("9", "123"), ("A", "19"), ("N", "12349"), ("Y", "1"),
        ]
        for (authority, allowed) in pairs {
            guard let key = authority.asciiValue else { continue }
            for digit in allowed.utf8 { types[Int(key)] |= 1 << UInt16(digit - 48) }
        }
        return Tables(values: values, entityTypes: types)
    }()

    @inline(__always)
    static func entityTypeAllowed(_ authority: UInt8, _ type: UInt8, _ t: Tables) -> Bool {
        type >= 48 && type <= 57 && t.entityTypes[Int(authority)] & (1 << UInt16(type - 48)) != 0
    }

    /// The result of a successful validation.
    public struct Verdict: Sendable, Equatable {
        /// True for individual businesses (prefix `92`), which usually map to one natural person.
        public var isPersonLinked: Bool
    }

    /// Computes the check character (position 18) of 17 characters.
    /// - Parameter code: At least 17 upper-case ASCII bytes.
    /// - Returns: The check character, or nil if a byte is outside the alphabet.
    public static func checkCharacter(_ code: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard code.count >= 17, let p = code.baseAddress else { return nil }
        let values = tables.values
        // Horner's rule from the end: Σ v_i·3^(i−1) with weights 3^(i−1) mod 31.
        var r = 0  // at most 30·(3^17 − 1)/2 ≈ 1.9e9: no overflow, one modulo at the end
        var i = 16
        while i >= 0 {
            let v = Int(values[Int(p[i])])
            guard v >= 0 else { return nil }
            r = r &* 3 &+ v
            i -= 1
        }
        let check = (31 - r % 31) % 31
        return check < 10 ? UInt8(48 + check) : alphabet[check]
    }

    /// For an all-digit candidate: whether its MOD 31 check character (position 18) is right, computed
    /// with digit arithmetic instead of the alphabet table. Equal to `checkCharacter(code) == code[17]` for
    /// 18 ASCII digits.
    /// - Parameter code: 18 ASCII digits.
    /// - Returns: Whether the check character matches.
    @inline(__always)
    static func digitCheckMatches(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
        guard code.count == 18, let p = code.baseAddress else { return false }
        var r = 0
        var i = 16
        while i >= 0 {
            r = r &* 3 &+ (Int(p[i]) &- 48)
            i -= 1
        }
        let check = (31 - r % 31) % 31
        return check < 10 && UInt8(truncatingIfNeeded: 48 + check) == p[17]
    }

    /// Computes the GB 11714 check character of the 8-character organisation code body.
    /// - Parameter body: 8 ASCII digits or upper-case letters.
    /// - Returns: `0`–`9` or `X`, or nil.
    public static func organisationCheck(_ body: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard body.count == 8 else { return nil }
        var sum = 0
        for i in 0..<8 {
            let byte = body[i]
            let v: Int
            if byte >= 48 && byte <= 57 {
                v = Int(byte) - 48
            } else if byte >= 65 && byte <= 90 {
                v = Int(byte) - 55
            } else {
                return nil
            }
            sum += v * orgWeights[i]
        }
        let r = 11 - sum % 11
        switch r {
        case 10: return UInt8(ascii: "X")
        case 11: return UInt8(ascii: "0")
        default: return UInt8(48 + r)
        }
    }

    /// Whether a candidate has a code's structure (authority and entity type, six-digit area) regardless of
    /// its check characters: input to column profiling of all-digit codes.
    /// - Parameter code: 18 upper-case ASCII bytes.
    /// - Returns: Whether positions 1–8 are plausible.
    public static func hasStructure(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
        guard code.count == 18, entityTypeAllowed(code[0], code[1], tables) else { return false }
        for i in 2..<8 where code[i] < 48 || code[i] > 57 { return false }
        return true
    }

    /// Validates an 18-character candidate (upper case expected; callers upper-case first).
    /// - Parameter code: Exactly 18 ASCII bytes.
    /// - Returns: The verdict, or nil when it is not a valid code.
    public static func validate(_ code: UnsafeBufferPointer<UInt8>) -> Verdict? {
        guard code.count == 18, entityTypeAllowed(code[0], code[1], tables) else { return nil }
        for i in 2..<8 where code[i] < 48 || code[i] > 57 { return nil }
        guard checkCharacter(code) == code[17] else { return nil }
        guard let body = UnsafeBufferPointer(rebasing: code[8..<16]).baseAddress else { return nil }
        guard organisationCheck(UnsafeBufferPointer(start: body, count: 8)) == code[16] else { return nil }
        return Verdict(isPersonLinked: code[0] == UInt8(ascii: "9") && code[1] == UInt8(ascii: "2"))
    }
}
