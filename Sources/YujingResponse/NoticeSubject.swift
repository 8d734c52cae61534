/// How a restricted subject appears on the public notice (Art. 26 "publicly announced", and no more personal data
/// than that).
public enum NoticeSubjectPolicy: String, Sendable, Codable, CaseIterable {
    /// Partly masked (default): `ak-3****f9`, `2****8`, `10.1.*.*`.
    case masked
    /// The full subject (for organisations whose names are public anyway).
    case full
    /// Not shown at all, only the kind.
    case hidden

    /// The subject as the notice shows it.
    /// - Parameters:
    ///   - subject: The subject id.
    ///   - kind: Its kind.
    /// - Returns: Text for the notice.
    public func display(_ subject: String, kind: RestrictedSubjectKind) -> String {
        switch self {
        case .full: return subject
        case .hidden: return "—"
        case .masked: return Self.mask(subject, kind: kind)
        }
    }

    static func mask(_ subject: String, kind: RestrictedSubjectKind) -> String {
        switch kind {
        case .ip, .cidr:
            let address = subject.split(separator: "/", maxSplits: 1).first.map(String.init) ?? subject
            if address.contains(":") {
                let groups = address.split(separator: ":", omittingEmptySubsequences: false)
                return groups.prefix(2).joined(separator: ":") + ":*"
            }
            let octets = address.split(separator: ".")
            guard octets.count == 4 else { return "*" }
            return "\(octets[0]).\(octets[1]).*.*"
        case .appKey, .user:
            let characters = Array(subject)
            if characters.count <= 2 { return String(repeating: "*", count: characters.count) }
            let keep = characters.count >= 8 ? 3 : 1
            let tail = characters.count >= 8 ? 2 : 1
            return String(characters.prefix(keep)) + String(repeating: "*", count: 4) + String(characters.suffix(tail))
        }
    }
}
