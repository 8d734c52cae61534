/// GB/T 2260 administrative division codes: the province list (hard check) and the historical
/// county-level codes (a confidence signal only, since codes are created and abolished over time).
public enum DivisionCodes {
    /// Two-digit province codes that may start a resident ID: the 31 mainland provinces, 71 (Taiwan,
    /// nominal) and 81/82/83 (residence permits for Hong Kong, Macao and Taiwan residents).
    public static func isProvince(_ code: Int) -> Bool {
        // Bit masks of `provinces` (codes 0-63 and 64-99): no lazily initialised global on the hot path.
        if code >= 0 && code < 64 { return provinceBitsLow >> UInt64(code) & 1 != 0 }
        if code >= 64 && code < 100 { return provinceBitsHigh >> UInt64(code - 64) & 1 != 0 }
        return false
    }

    static let provinces = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
        61, 62, 63, 64, 65, 71, 81, 82, 83,
    ]
    /// Bits 0-63 of the province set (see `provinces`; a test checks that the masks match it).
    static let provinceBitsLow: UInt64 = 0xE07C_7E3F_80E0_F800
    static let provinceBitsHigh: UInt64 = 0x000E_0083

    /// What the historical table knows about a six-digit division code.
    public enum CountyStatus: Sendable, Equatable {
        /// Present in the latest revision (or one of the special permit codes).
        case current
        /// Last seen in the given year's revision, i.e. abolished or renamed after it.
        case lastSeen(Int)
        /// Never seen in any revision since 1980.
        case unknown
    }

    /// Looks up a six-digit code.
    /// - Parameter code: The code, e.g. 110105.
    /// - Returns: Its status in the historical table.
    public static func status(of code: Int) -> CountyStatus {
        if code == 810000 || code == 820000 || code == 830000 { return .current }
        if code / 10000 == 71 { return .current }
        guard let year = table.lastSeen[code] else { return .unknown }
        return year == 0 ? .current : .lastSeen(year)
    }

    private struct Table: Sendable {
        /// Code → last year seen; 0 means still valid.
        var lastSeen: [Int: Int] = [:]
    }

    private static let table: Table = {
        var table = Table()
        table.lastSeen.reserveCapacity(7_100)
        for entry in DivisionCodeTable.packed.split(separator: ",") {
            let parts = entry.split(separator: ":")
            guard let code = Int(parts[0]) else { continue }
            let year = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            table.lastSeen[code] = year
        }
        return table
    }()
}
