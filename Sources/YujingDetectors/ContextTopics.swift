import YujingCore

/// What a column header or a nearby keyword says about the values: which identifier kinds it announces,
/// and whether it marks serial/order numbers, person names or organisations.
public struct ContextTopics: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16

    /// Creates a set from raw bits.
    /// - Parameter rawValue: The bits.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let residentID = ContextTopics(rawValue: 1 << 0)
    public static let mobile = ContextTopics(rawValue: 1 << 1)
    public static let bankCard = ContextTopics(rawValue: 1 << 2)
    public static let passport = ContextTopics(rawValue: 1 << 3)
    public static let travelPermit = ContextTopics(rawValue: 1 << 4)
    public static let email = ContextTopics(rawValue: 1 << 5)
    /// Order, serial, transaction or record numbers: values here are not identifiers by chance.
    public static let serialNumber = ContextTopics(rawValue: 1 << 6)
    /// A natural person's name (姓名, 联系人, 申请人, ...).
    public static let personName = ContextTopics(rawValue: 1 << 7)
    /// An organisation's name (机构名称, 单位名称, ...).
    public static let organisation = ContextTopics(rawValue: 1 << 8)
    /// A contact point column (联系电话, 联系方式, 邮箱, 投诉举报渠道, 咨询热线, ...).
    public static let contactPoint = ContextTopics(rawValue: 1 << 9)

    /// The topic that announces a kind.
    /// - Parameter kind: An identifier kind.
    /// - Returns: The matching topic.
    public static func announcing(_ kind: IdentifierKind) -> ContextTopics {
        switch kind {
        case .residentID, .residentID15: return .residentID
        case .mobile: return .mobile
        case .bankCard: return .bankCard
        case .passport: return .passport
        case .travelPermit: return .travelPermit
        case .email: return .email
        case .socialCreditCode: return []
        }
    }

    // MARK: - Column headers

    /// Classifies a column header in Chinese, pinyin initials or English.
    /// - Parameter header: The header text (any case; spaces, `_` and `-` are ignored).
    /// - Returns: The topics it announces.
    public static func forHeader(_ header: String) -> ContextTopics {
        let folded = String(
            header.lowercased().unicodeScalars.filter { !" _-.\t\u{3000}（）()：:".unicodeScalars.contains($0) })
        guard !folded.isEmpty else { return [] }
        var topics: ContextTopics = []
        if let exact = exactHeaders[folded] { topics.formUnion(exact) }
        for (needle, topic) in headerFragments where folded.contains(needle) {
            topics.formUnion(topic)
        }
        if topics.contains(.residentID) { topics.subtract([.bankCard]) }  // "idcard", "身份证卡号"
        if folded.contains("姓名") { topics.subtract(.organisation) }
        return topics
    }

    /// Whole-header matches: pinyin initials and short English words that are too ambiguous as substrings.
    static let exactHeaders: [String: ContextTopics] = [
        "sfzh": .residentID, "sfz": .residentID, "sfzhm": .residentID, "zjhm": [.residentID, .passport, .travelPermit],
        "gmsfhm": .residentID, "id": [], "idno": .residentID, "idnumber": .residentID, "idnum": .residentID,
        "sjh": .mobile, "sjhm": .mobile, "lxdh": [.mobile, .contactPoint], "dh": [.mobile, .contactPoint],
        "lxfs": [.mobile, .contactPoint], "tel": [.mobile, .contactPoint], "phone": [.mobile, .contactPoint], "mobile": .mobile, "telephone": .mobile, "cellphone": .mobile, "phoneno": .mobile,
        "yhkh": .bankCard, "yhzh": .bankCard, "kh": .bankCard, "cardno": .bankCard, "cardnumber": .bankCard,
        "hzhm": .passport, "hzh": .passport, "passportno": .passport, "txzhm": .travelPermit,
        "yx": [.email, .contactPoint], "dzyx": [.email, .contactPoint], "mail": [.email, .contactPoint],
        "email": [.email, .contactPoint], "emailaddress": [.email, .contactPoint],
        "xm": .personName, "name": [], "lxr": .personName, "fzr": .personName, "fddbr": .personName,
        "ddh": .serialNumber, "dingdanhao": .serialNumber, "lsh": .serialNumber, "bh": .serialNumber,
        "no": .serialNumber, "seq": .serialNumber, "xh": .serialNumber,
    ]

    /// Substring matches (Chinese terms and unambiguous English words).
    static let headerFragments: [(String, ContextTopics)] = [
        ("身份证", .residentID), ("身份號", .residentID), ("身份证号", .residentID), ("公民身份", .residentID),
        ("身份號碼", .residentID), ("身分證", .residentID), ("居民身份", .residentID), ("证件号", [.residentID, .passport, .travelPermit]),
        ("证件号码", [.residentID, .passport, .travelPermit]), ("idcard", .residentID), ("citizenid", .residentID),
        ("identity", .residentID), ("nationalid", .residentID),
        ("手机", .mobile), ("手機", .mobile), ("电话", .mobile), ("電話", .mobile), ("联系方式", .mobile),
        ("移动电话", .mobile), ("mobile", .mobile), ("phone", .mobile), ("cellphone", .mobile),
        ("银行卡", .bankCard), ("卡号", .bankCard), ("账号", .bankCard), ("帐号", .bankCard), ("银行账户", .bankCard),
        ("cardno", .bankCard), ("bankcard", .bankCard), ("bankaccount", .bankCard), ("creditcard", .bankCard),
        ("护照", .passport), ("護照", .passport), ("passport", .passport),
        ("通行证", .travelPermit), ("回乡证", .travelPermit), ("台胞证", .travelPermit), ("permit", .travelPermit),
        ("邮箱", .email), ("邮件", .email), ("電郵", .email), ("email", .email), ("e-mail", .email),
        ("订单", .serialNumber), ("单号", .serialNumber), ("流水", .serialNumber), ("编号", .serialNumber),
        ("交易号", .serialNumber), ("序列号", .serialNumber), ("批次", .serialNumber), ("序号", .serialNumber),
        ("order", .serialNumber), ("serial", .serialNumber), ("txn", .serialNumber), ("trade", .serialNumber),
        ("transaction", .serialNumber), ("snowflake", .serialNumber), ("uuid", .serialNumber),
        ("timestamp", .serialNumber), ("时间戳", .serialNumber),
        ("姓名", .personName), ("联系人", .personName), ("负责人", .personName), ("申请人", .personName),
        ("法定代表人", .personName), ("法人代表", .personName), ("户主", .personName), ("患者", .personName),
        ("被执行人", .personName), ("当事人", .personName), ("经办人", .personName), ("持卡人", .personName),
        ("开户名", .personName), ("学生", .personName), ("fullname", .personName), ("contactperson", .personName),
        ("机构", .organisation), ("单位", .organisation), ("名称", .organisation), ("医院", .organisation),
        ("公司", .organisation), ("企业", .organisation), ("门诊", .organisation), ("站点", .organisation),
        ("organization", .organisation), ("organisation", .organisation), ("institution", .organisation),
        ("company", .organisation),
        ("电话", .contactPoint), ("联系方式", .contactPoint), ("邮箱", .contactPoint), ("邮件", .contactPoint),
        ("投诉", .contactPoint), ("举报", .contactPoint), ("咨询", .contactPoint), ("热线", .contactPoint),
        ("渠道", .contactPoint), ("contact", .contactPoint), ("phone", .contactPoint), ("email", .contactPoint),
    ]

    // MARK: - Keywords in running text

    /// Keywords looked for shortly before a value in running text (unambiguous terms only; UTF-8 bytes,
    /// ASCII ones matched case-insensitively).
    static let keywords: [([UInt8], ContextTopics)] = [
        ("身份证", ContextTopics.residentID), ("公民身份", .residentID), ("身份號", .residentID),
        ("证件号", [.residentID, .passport, .travelPermit]), ("证件", [.residentID, .passport, .travelPermit]),
        ("idcard", .residentID), ("id card", .residentID), ("id no", .residentID), ("sfzh", .residentID),
        ("手机", .mobile), ("电话", .mobile), ("联系方式", .mobile), ("mobile", .mobile), ("phone", .mobile),
        ("tel", .mobile),
        ("银行卡", .bankCard), ("卡号", .bankCard), ("账号", .bankCard), ("帐号", .bankCard), ("card", .bankCard),
        ("护照", .passport), ("passport", .passport),
        ("通行证", .travelPermit), ("回乡证", .travelPermit), ("台胞证", .travelPermit), ("permit", .travelPermit),
        ("邮箱", .email), ("email", .email),
        ("订单", .serialNumber), ("单号", .serialNumber), ("流水号", .serialNumber), ("编号", .serialNumber),
        ("order", .serialNumber), ("serial", .serialNumber), ("txn", .serialNumber),
        ("经办人", .personName), ("联系人", .personName), ("申请人", .personName), ("负责人", .personName),
        ("法定代表人", .personName), ("户主", .personName), ("本人", .personName), ("姓名", .personName),
    ].map { (Array($0.0.utf8), $0.1) }

    /// Keyword indexes by first byte (lower-cased for ASCII), so that most window positions are rejected by
    /// one table lookup.
    static let keywordsByFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (index, keyword) in keywords.enumerated() {
            guard let first = keyword.0.first else { continue }
            table[Int(first)].append(index)
        }
        return table
    }()

    /// Topics announced by keywords within `window` bytes before `offset` (same buffer).
    /// - Parameters:
    ///   - buffer: The text.
    ///   - offset: Where the value starts.
    ///   - window: How far back to look, in bytes.
    /// - Returns: The announced topics.
    static func keywordTopics(in buffer: UnsafeRawBufferPointer, before offset: Int, window: Int = 48) -> ContextTopics {
        let start = max(0, offset - window)
        guard offset > start, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        var topics: ContextTopics = []
        let byFirst = keywordsByFirstByte
        let all = keywords
        for p in start..<offset {
            var first = base[p]
            if first >= 65 && first <= 90 { first += 32 }
            let candidates = byFirst[Int(first)]
            if candidates.isEmpty { continue }
            for index in candidates {
                let needle = all[index].0
                let m = needle.count
                guard p + m <= offset else { continue }
                var k = 1
                while k < m {
                    var b = base[p + k]
                    if b >= 65 && b <= 90 { b += 32 }
                    if b != needle[k] { break }
                    k += 1
                }
                if k == m { topics.formUnion(all[index].1) }
            }
        }
        return topics
    }
}
