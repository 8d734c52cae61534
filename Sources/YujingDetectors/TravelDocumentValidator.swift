/// Shapes of PRC passports and of Hong Kong/Macao/Taiwan travel permits. No public checksum exists,
/// so a shape match alone is weak: callers demand column or keyword context.
public enum TravelDocumentValidator {
    /// What a token looks like.
    public enum Shape: Sendable, Equatable {
        case passport
        case travelPermit
    }

    /// Letters allowed in the second position of a serial (I and O excluded).
    @inline(__always)
    static func isSerialLetter(_ b: UInt8) -> Bool {
        b >= 65 && b <= 90 && b != 73 && b != 79
    }

    @inline(__always)
    static func allDigits(_ t: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        for i in from..<t.count where t[i] < 48 || t[i] > 57 { return false }
        return true
    }

    /// Classifies an upper-case alphanumeric token.
    /// - Parameter token: ASCII bytes (upper case).
    /// - Returns: The document shape, or nil.
    public static func shape(_ token: UnsafeBufferPointer<UInt8>) -> Shape? {
        let n = token.count
        guard n == 8 || n == 9 || n == 11 else { return nil }
        let c0 = token[0]
        switch n {
        case 9:
            switch c0 {
            case UInt8(ascii: "E"), UInt8(ascii: "G"):
                if allDigits(token, from: 1) { return .passport }
                if c0 == UInt8(ascii: "E"), isSerialLetter(token[1]), allDigits(token, from: 2) { return .passport }
                return nil
            case UInt8(ascii: "H"), UInt8(ascii: "M"):
                return allDigits(token, from: 1) ? .travelPermit : nil
            case UInt8(ascii: "C"):
                if allDigits(token, from: 1) { return .travelPermit }
                if isSerialLetter(token[1]), allDigits(token, from: 2) { return .travelPermit }
                return nil
            case UInt8(ascii: "D"), UInt8(ascii: "S"), UInt8(ascii: "P"):
                return token[1] == UInt8(ascii: "E") && allDigits(token, from: 2) ? .passport : nil
            default:
                return nil
            }
        case 8:
            if c0 == UInt8(ascii: "D") || c0 == UInt8(ascii: "S") || c0 == UInt8(ascii: "P") {
                return allDigits(token, from: 1) ? .passport : nil
            }
            return allDigits(token, from: 0) ? .travelPermit : nil
        default:
            if c0 == UInt8(ascii: "H") || c0 == UInt8(ascii: "M") {
                return allDigits(token, from: 1) ? .travelPermit : nil
            }
            return nil
        }
    }
}
