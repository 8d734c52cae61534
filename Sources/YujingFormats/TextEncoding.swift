/// The text encoding of a dataset file.
public enum TextEncoding: String, Sendable, Equatable, CaseIterable {
    /// UTF-8 without a byte-order mark (also plain ASCII).
    case utf8
    /// UTF-8 with a byte-order mark (EF BB BF), which readers strip.
    case utf8BOM
    /// UTF-16 little-endian with a byte-order mark (FF FE).
    case utf16LE
    /// UTF-16 big-endian with a byte-order mark (FE FF).
    case utf16BE
    /// GB18030, a superset of GBK and GB2312, assumed for text that is not valid UTF-8.
    case gb18030

    /// Length in bytes of the byte-order mark that starts a file in this encoding.
    public var byteOrderMarkLength: Int {
        switch self {
        case .utf8, .gb18030: return 0
        case .utf8BOM: return 3
        case .utf16LE, .utf16BE: return 2
        }
    }

    /// The iconv name of the encoding, or nil when no conversion is needed.
    var iconvName: String? {
        switch self {
        case .utf8, .utf8BOM: return nil
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .gb18030: return "GB18030"
        }
    }
}
