/// The kinds of personal or organisational identifier that Yujing detects in released datasets.
///
/// The raw values are the stable names used in JSON output, events and rules.
public enum IdentifierKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// 18-character resident identity card number (GB 11643-1999), including residence permits
    /// for Hong Kong, Macao and Taiwan residents and the foreigner permanent residence card.
    case residentID = "cn_resident_id"
    /// Legacy 15-digit resident identity card number (no check digit).
    case residentID15 = "cn_resident_id_15"
    /// Mainland China mobile number.
    case mobile = "cn_mobile"
    /// Payment card number (UnionPay, Visa, Mastercard, JCB, American Express).
    case bankCard = "bank_card"
    /// Unified social credit code (GB 32100-2015).
    case socialCreditCode = "cn_uscc"
    /// Passport number (PRC formats).
    case passport = "passport"
    /// Travel permits for Hong Kong, Macao and Taiwan.
    case travelPermit = "travel_permit"
    /// E-mail address.
    case email = "email"

    public static func < (lhs: IdentifierKind, rhs: IdentifierKind) -> Bool {
        lhs.sortIndex < rhs.sortIndex
    }

    private var sortIndex: Int {
        Self.allCases.firstIndex(of: self) ?? 0
    }
}
