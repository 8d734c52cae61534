/// One identifier planted in a generated file: its kind (as `yujing` names it), the canonical value the
/// detector should normalise it to, and the text as written into the file.
struct Plant: Sendable, Hashable {
    var kind: String
    var canonical: String
    var written: String

    /// A plant written exactly as its canonical value.
    init(_ kind: String, _ value: String) {
        self.kind = kind
        canonical = value
        written = value
    }

    /// A plant written differently from its canonical value (grouped mobile, lower-case `x`, 15 digits).
    init(_ kind: String, canonical: String, written: String) {
        self.kind = kind
        self.canonical = canonical
        self.written = written
    }

    /// Whether the identifier belongs to a natural person (credit codes: only `92…` individual businesses).
    var personLinked: Bool {
        kind == "cn_uscc" ? canonical.hasPrefix("92") : true
    }

    /// The mask the report must show, computed from the issue's rules: resident IDs keep the first 3 and last
    /// 4, mobiles `138****5678`, cards the last 4, credit codes the first 8 and last 2, passports and permits
    /// the first letter and last 3, e-mail the first character and the domain.
    var masked: String {
        let value = Array(canonical)
        func keep(_ head: Int, _ tail: Int) -> String {
            String(value.prefix(head)) + String(repeating: "*", count: value.count - head - tail)
                + String(value.suffix(tail))
        }
        switch kind {
        case "cn_resident_id", "cn_resident_id_15", "cn_mobile": return keep(3, 4)
        case "bank_card": return keep(0, 4)
        case "cn_uscc": return keep(8, 2)
        case "passport", "travel_permit": return keep(1, value.count > 6 ? 3 : 1)
        case "email":
            guard let at = canonical.firstIndex(of: "@") else { return "***" }
            return String(canonical.prefix(1)) + "***" + String(canonical[at...])
        default: return "?"
        }
    }

    // MARK: - Constructors by kind

    static func id(_ value: String) -> Plant { Plant("cn_resident_id", value) }

    /// An ID written with a lower-case `x` check character.
    static func idLowerX(_ value: String) -> Plant {
        Plant("cn_resident_id", canonical: value, written: value.lowercased())
    }

    /// A legacy 15-digit ID: reported in its upgraded 18-character form.
    static func legacy(_ id15: String) -> Plant {
        Plant("cn_resident_id_15", canonical: IdentifierFactory.upgradeLegacy(id15), written: id15)
    }

    static func mobile(_ value: String) -> Plant { Plant("cn_mobile", value) }

    /// A mobile in one of the grouped forms.
    static func mobile(_ value: String, form: MobileForm) -> Plant {
        let a = value.prefix(3)
        let b = value.dropFirst(3).prefix(4)
        let c = value.suffix(4)
        let written: String
        switch form {
        case .plain: written = value
        case .plus86: written = "+86 \(a) \(b) \(c)"
        case .zero086: written = "0086-\(a)-\(b)-\(c)"
        case .hyphens: written = "\(a)-\(b)-\(c)"
        case .spaces: written = "\(a) \(b) \(c)"
        }
        return Plant("cn_mobile", canonical: value, written: written)
    }

    static func card(_ value: String) -> Plant { Plant("bank_card", value) }
    static func uscc(_ value: String) -> Plant { Plant("cn_uscc", value) }
    static func passport(_ value: String) -> Plant { Plant("passport", value) }
    static func permit(_ value: String) -> Plant { Plant("travel_permit", value) }
    static func email(_ value: String) -> Plant { Plant("email", value) }
}

/// How a planted mobile number is written.
enum MobileForm: Sendable, CaseIterable {
    case plain, plus86, zero086, hyphens, spaces
}
