import YujingCore

/// Display masks: the only form in which a detected identifier ever leaves the detector.
///
/// Resident IDs keep the first 3 and last 4 characters (never the birth date), mobiles `138****5678`,
/// cards the last 4 digits, credit codes the registration prefix and check characters, passports and
/// permits the first letter and last 3, e-mail the first character and the domain.
public enum IdentifierMask {
    /// Masks a canonical value.
    /// - Parameters:
    ///   - kind: The identifier kind.
    ///   - canonical: The canonical ASCII value (upper case, separators removed).
    /// - Returns: The masked string.
    public static func mask(_ kind: IdentifierKind, canonical: UnsafeBufferPointer<UInt8>) -> String {
        let n = canonical.count
        switch kind {
        case .residentID, .residentID15:
            return keep(canonical, head: 3, tail: 4)
        case .mobile:
            return keep(canonical, head: 3, tail: 4)
        case .bankCard:
            return keep(canonical, head: 0, tail: 4)
        case .socialCreditCode:
            return keep(canonical, head: 8, tail: 2)
        case .passport, .travelPermit:
            return keep(canonical, head: 1, tail: n > 6 ? 3 : 1)
        case .email:
            guard let at = canonical.firstIndex(of: UInt8(ascii: "@")), at > 0 else { return "***" }
            let first = String(decoding: canonical[0..<1], as: UTF8.self)
            return first + "***" + String(decoding: canonical[at...], as: UTF8.self)
        }
    }

    /// Masks a canonical value given as an array.
    /// - Parameters:
    ///   - kind: The identifier kind.
    ///   - canonical: The canonical ASCII value.
    /// - Returns: The masked string.
    public static func mask(_ kind: IdentifierKind, canonical: [UInt8]) -> String {
        canonical.withUnsafeBufferPointer { mask(kind, canonical: $0) }
    }

    static func keep(_ value: UnsafeBufferPointer<UInt8>, head: Int, tail: Int) -> String {
        let n = value.count
        guard head + tail < n else { return String(repeating: "*", count: n) }
        var out = [UInt8]()
        out.reserveCapacity(n)
        out.append(contentsOf: value[0..<head])
        out.append(contentsOf: repeatElement(UInt8(ascii: "*"), count: n - head - tail))
        out.append(contentsOf: value[(n - tail)...])
        return String(decoding: out, as: UTF8.self)
    }
}
