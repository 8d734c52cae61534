/// E-mail addresses: shape, a real-looking top-level domain, and a rough classification of the domain.
public enum EmailValidator {
    /// What kind of mailbox the domain suggests.
    public enum DomainClass: Sendable, Equatable {
        /// A personal webmail provider (qq.com, 163.com, gmail.com, ...).
        case personalWebmail
        /// A government, education or organisation domain (gov.cn, edu.cn, org.cn).
        case institutional
        /// Anything else.
        case other
    }

    static let fileExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "js", "css", "json", "xml", "html", "htm",
        "txt", "csv", "pdf", "zip", "gz", "tar", "md", "swift", "py", "java", "go", "rs", "ts", "php",
    ]
    static let serviceAccounts: Set<String> = ["git", "noreply", "no-reply", "donotreply", "mailer-daemon"]
    static let personalDomains: Set<String> = [
        "qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "vip.163.com", "sina.com",
        "sina.cn", "sohu.com", "139.com", "189.cn", "wo.cn", "aliyun.com", "gmail.com", "outlook.com",
        "hotmail.com", "live.com", "yahoo.com", "icloud.com",
    ]

    /// Validates the two halves of an address (ASCII).
    /// - Parameters:
    ///   - local: The local part.
    ///   - domain: The domain.
    /// - Returns: The domain class, or nil when this is not a personal-data-bearing address.
    public static func classify(local: Substring, domain: Substring) -> DomainClass? {
        guard !local.isEmpty, local.count <= 64, domain.count <= 253 else { return nil }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else { return nil }
        }
        guard let tld = labels.last, tld.count >= 2, tld.count <= 24, tld.allSatisfy({ $0.isLetter }) else {
            return nil
        }
        let lowerDomain = domain.lowercased()
        guard !fileExtensions.contains(tld.lowercased()) else { return nil }
        guard !serviceAccounts.contains(local.lowercased()) else { return nil }
        if personalDomains.contains(lowerDomain) { return .personalWebmail }
        if lowerDomain.hasSuffix(".gov.cn") || lowerDomain.hasSuffix(".edu.cn") || lowerDomain.hasSuffix(".org.cn")
            || lowerDomain.hasSuffix(".gov") || lowerDomain.hasSuffix(".edu")
        {
            return .institutional
        }
        return .other
    }
}
