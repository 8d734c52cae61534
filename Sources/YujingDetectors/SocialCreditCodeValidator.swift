/// Validation of the unified social credit code (GB 32100-2015): alphabet, registration authority and
/// entity type, the MOD 31 check character, and the embedded organisation code's GB 11714 check.
public enum SocialCreditCodeValidator {
    /// The 31-character alphabet (no I, O, S, V, Z); index = value.
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let orgWeights: [Int] = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Byte → value in the 31-character alphabet, or -1.
    static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    /// Valid (registration authority, entity type) pairs.
    static let entityTypes: [UInt8: [UInt8]] = [
        UInt8(ascii: "1"): Array("1239".utf8), UInt8(ascii: "2"): Array("19".utf8),
        UInt8(ascii: "3"): Array("123459".utf8), UInt8(ascii: "4"): Array("19".utf8),
        UInt8(ascii: "5"): Array("1239".utf8), UInt8(ascii: "6"): Array("129".utf8),
        UInt8(ascii: "7"): Array("129".utf8), UInt8(ascii: "8"): Array("19".utf8),
        UInt8(ascii: "9"): Array("123".utf8), UInt8(ascii: "A"): Array("19".utf8),
        UInt8(ascii: "N"): Array("12349".utf8), UInt8(ascii: "Y"): Array("1".utf8),
    ]

    /// The result of a successful validation.
    public struct Verdict: Sendable, Equatable {
        /// True for individual businesses (prefix `92`), which usually map to one natural person.
        public var isPersonLinked: Bool
    }

    /// Computes the check character (position 18) of 17 characters.
    /// - Parameter code: At least 17 upper-case ASCII bytes.
    /// - Returns: The check character, or nil if a byte is outside the alphabet.
    public static func checkCharacter(_ code: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard code.count >= 17 else { return nil }
        var sum = 0
        for i in 0..<17 {
            let v = Int(values[Int(code[i])])
            guard v >= 0 else { return nil }
            sum += v * weights[i]
        }
        return alphabet[(31 - sum % 31) % 31]
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
        guard code.count == 18, let types = entityTypes[code[0]], types.contains(code[1]) else { return false }
        for i in 2..<8 where code[i] < 48 || code[i] > 57 { return false }
        return true
    }

    /// Validates an 18-character candidate (upper case expected; callers upper-case first).
    /// - Parameter code: Exactly 18 ASCII bytes.
    /// - Returns: The verdict, or nil when it is not a valid code.
    public static func validate(_ code: UnsafeBufferPointer<UInt8>) -> Verdict? {
        guard code.count == 18 else { return nil }
        guard let types = entityTypes[code[0]], types.contains(code[1]) else { return nil }
        for i in 2..<8 where code[i] < 48 || code[i] > 57 { return nil }
        guard checkCharacter(code) == code[17] else { return nil }
        guard let body = UnsafeBufferPointer(rebasing: code[8..<16]).baseAddress else { return nil }
        guard organisationCheck(UnsafeBufferPointer(start: body, count: 8)) == code[16] else { return nil }
        return Verdict(isPersonLinked: code[0] == UInt8(ascii: "9") && code[1] == UInt8(ascii: "2"))
    }
}
