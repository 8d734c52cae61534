/// Mainland China mobile numbers: the current number-segment table (libphonenumber 9.0.43 mobile
/// pattern plus the data-only 146/148/149 segments), with placeholder numbers rejected.
public enum MobileNumberValidator {
    /// How plausible a number segment is.
    public enum Segment: Sendable, Equatable {
        /// A segment issued to ordinary mobile subscribers.
        case mobile
        /// A data-only / IoT segment (146, 148, 149): reported at lower confidence.
        case dataOnly
    }

    /// Classifies an 11-digit candidate.
    /// - Parameter digits: Exactly 11 ASCII digits.
    /// - Returns: The segment, or nil when the prefix is not a mobile segment or the number is a
    ///   well-known placeholder.
    public static func segment(_ digits: UnsafeBufferPointer<UInt8>) -> Segment? {
        guard digits.count == 11, digits[0] == UInt8(ascii: "1") else { return nil }
        let p2 = Int(digits[1]) - 48
        let p3 = Int(digits[2]) - 48
        let p4 = Int(digits[3]) - 48
        let segment: Segment?
        switch p2 {
        case 3, 8: segment = .mobile
        case 4:
            switch p3 {
            case 5, 7: segment = .mobile
            case 6, 8, 9: segment = .dataOnly
            default: segment = nil
            }
        case 5, 9: segment = p3 == 4 ? nil : .mobile
        case 6:
            switch p3 {
            case 1: segment = p4 == 0 ? .mobile : nil
            case 2, 5, 6, 7: segment = .mobile
            default: segment = nil
            }
        case 7:
            switch p3 {
            case 0, 1, 2, 3, 5, 6, 7, 8: segment = .mobile
            case 4: segment = p4 == 0 && (Int(digits[4]) - 48) <= 5 ? .mobile : nil
            default: segment = nil
            }
        default: segment = nil
        }
        guard let segment, !isPlaceholder(digits) else { return nil }
        return segment
    }

    /// Placeholder numbers: the famous `13800138000` and the last eight digits all equal.
    static func isPlaceholder(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        let famous: StaticString = "13800138000"
        var isFamous = true
        for i in 0..<11 where digits[i] != famous.utf8Start[i] {
            isFamous = false
            break
        }
        if isFamous { return true }
        let tail = digits[3]
        for i in 4..<11 where digits[i] != tail { return false }
        return true
    }
}
