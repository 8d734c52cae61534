/// The four grades of an early warning (Art. 38), as in the national cyber-security incident emergency plan.
///
/// Level I is the most severe: `WarningLevel.I > WarningLevel.II`. The raw values are the Roman numerals used in
/// rules, labels and JSON.
public enum WarningLevel: String, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// 特别重大 (especially serious), red.
    case I
    /// 重大 (serious), orange.
    case II
    /// 较大 (relatively serious), yellow.
    case III
    /// 一般 (general), blue.
    case IV

    /// The Chinese grade name: 特别重大, 重大, 较大, 一般.
    public var chineseName: String {
        switch self {
        case .I: "特别重大"
        case .II: "重大"
        case .III: "较大"
        case .IV: "一般"
        }
    }

    /// The warning colour in English: red, orange, yellow, blue.
    public var colour: String {
        switch self {
        case .I: "red"
        case .II: "orange"
        case .III: "yellow"
        case .IV: "blue"
        }
    }

    /// The warning colour in Chinese: 红色, 橙色, 黄色, 蓝色.
    public var chineseColour: String {
        switch self {
        case .I: "红色"
        case .II: "橙色"
        case .III: "黄色"
        case .IV: "蓝色"
        }
    }

    /// Severity rank, 4 for level I down to 1 for level IV.
    public var severity: Int {
        switch self {
        case .I: 4
        case .II: 3
        case .III: 2
        case .IV: 1
        }
    }

    /// The level's Roman numeral.
    public var description: String { rawValue }

    /// Parses `I`…`IV` (case-insensitive), `1`…`4`, or the colour names.
    /// - Parameter text: The text to parse.
    /// - Returns: The level, or `nil` when the text names none.
    public static func parse(_ text: String) -> WarningLevel? {
        switch text.lowercased() {
        case "i", "1", "red": .I
        case "ii", "2", "orange": .II
        case "iii", "3", "yellow": .III
        case "iv", "4", "blue": .IV
        default: nil
        }
    }

    /// Orders by severity: a more severe level is greater.
    public static func < (lhs: WarningLevel, rhs: WarningLevel) -> Bool {
        lhs.severity < rhs.severity
    }
}
