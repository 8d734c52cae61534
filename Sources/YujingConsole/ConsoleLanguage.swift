/// The console's two languages, chosen by the `lang` cookie, else by `Accept-Language`, else Chinese.
enum ConsoleLanguage: String, Sendable, CaseIterable {
    case zh = "zh-CN"
    case en

    /// The other language (the toggle's target).
    var other: ConsoleLanguage { self == .zh ? .en : .zh }

    /// Picks the language: a valid `lang` cookie wins, then the highest-weighted `Accept-Language` tag naming Chinese
    /// or English, then Chinese.
    static func choose(cookie: String?, acceptLanguage: String?) -> ConsoleLanguage {
        if let cookie, let language = ConsoleLanguage(rawValue: cookie) { return language }
        guard let acceptLanguage else { return .zh }
        var best: (ConsoleLanguage, Double)?
        for part in acceptLanguage.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            var weight = 1.0
            for piece in pieces.dropFirst() where piece.hasPrefix("q=") {
                weight = Double(piece.dropFirst(2)) ?? 0
            }
            let language: ConsoleLanguage? =
                tag.hasPrefix("zh") ? .zh : tag.hasPrefix("en") ? .en : nil
            guard let language, weight > 0 else { continue }
            if best == nil || weight > best?.1 ?? 0 { best = (language, weight) }
        }
        return best?.0 ?? .zh
    }
}
