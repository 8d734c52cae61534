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
        lhs.ordinal < rhs.ordinal
    }

    /// Position in ``allCases`` (for arrays indexed by kind).
    public var ordinal: Int {
        switch self {
        case .residentID: return 0
        case .residentID15: return 1
        case .mobile: return 2
        case .bankCard: return 3
        case .socialCreditCode: return 4
        case .passport: return 5
        case .travelPermit: return 6
        case .email: return 7
        }
    }
}
