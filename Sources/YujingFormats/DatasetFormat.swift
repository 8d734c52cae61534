/// The formats a ``DatasetReader`` understands.
public enum DatasetFormat: String, Sendable, Equatable, CaseIterable {
    /// Comma- (or semicolon-, pipe-, tab-) separated values, RFC 4180.
    case csv
    /// Tab-separated values.
    case tsv
    /// One JSON document (usually an array of objects).
    case json
    /// JSON Lines / NDJSON: one JSON value per line.
    case jsonLines
    /// An XML document.
    case xml
    /// An Office Open XML workbook.
    case xlsx
    /// Plain text: every line is a value.
    case text

    /// Short name used in messages.
    public var displayName: String {
        switch self {
        case .csv: return "CSV"
        case .tsv: return "TSV"
        case .json: return "JSON"
        case .jsonLines: return "JSON Lines"
        case .xml: return "XML"
        case .xlsx: return "XLSX"
        case .text: return "text"
        }
    }

    /// Detects the format of a file from its name and its first bytes.
    ///
    /// ZIP magic means XLSX whatever the name. A known extension (`.csv`, `.tsv`, `.tab`, `.txt`, `.log`,
    /// `.json`, `.jsonl`, `.ndjson`, `.xml`, `.xlsx`) decides next, except that a `.json` file holding
    /// several top-level values on separate lines is JSON Lines. Otherwise the content decides: `{` or `[`
    /// is JSON (or JSON Lines), `<` is XML, anything else is text.
    /// - Parameters:
    ///   - path: The file name or path (only the extension is used).
    ///   - sample: The first bytes of the file, as stored (any encoding ``TextEncoding`` knows).
    /// - Returns: The detected format.
    public static func detect(path: String, sample: [UInt8]) -> DatasetFormat {
        if sample.count >= 4, sample[0] == 0x50, sample[1] == 0x4B, sample[2] == 0x03, sample[3] == 0x04 {
            return .xlsx
        }
        let ascii = asciiProjection(sample)
        switch fileExtension(path) {
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "txt", "text", "log": return .text
        case "jsonl", "ndjson": return .jsonLines
        case "json": return hasSeveralLineValues(ascii) ? .jsonLines : .json
        case "xml": return .xml
        case "xlsx", "xlsm": return .xlsx
        default: break
        }
        guard let first = ascii.first(where: { !isSpace($0) }) else { return .text }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return hasSeveralLineValues(ascii) ? .jsonLines : .json
        case UInt8(ascii: "<"):
            return .xml
        default:
            return .text
        }
    }

    /// The lower-cased extension of `path`, without the dot.
    static func fileExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    /// The sample without a byte-order mark; for UTF-16 only the low byte of each code unit, which keeps
    /// ASCII structure characters and is enough for sniffing.
    static func asciiProjection(_ sample: [UInt8]) -> [UInt8] {
        if sample.count >= 3, sample[0] == 0xEF, sample[1] == 0xBB, sample[2] == 0xBF {
            return Array(sample[3...])
        }
        if sample.count >= 2, sample[0] == 0xFF || sample[0] == 0xFE, sample[1] == 0xFE || sample[1] == 0xFF,
            sample[0] != sample[1]
        {
            let lowFirst = sample[0] == 0xFF
            var out: [UInt8] = []
            out.reserveCapacity(sample.count / 2)
            var index = 2
            while index + 1 < sample.count {
                let (low, high) = lowFirst ? (sample[index], sample[index + 1]) : (sample[index + 1], sample[index])
                out.append(high == 0 ? low : 0x80)
                index += 2
            }
            return out
        }
        return sample
    }

    /// Whether the sample holds a complete first JSON value that ends its line and is followed, on a later
    /// line, by the start of another value.
    static func hasSeveralLineValues(_ bytes: [UInt8]) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        var started = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; started = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\n") where started && depth == 0:
                return restStartsValue(bytes, from: index)
            default:
                if started && depth == 0 && !isSpace(byte) { return false }
            }
            if started && depth < 0 { return false }
        }
        return false
    }

    private static func restStartsValue(_ bytes: [UInt8], from start: Int) -> Bool {
        var index = start
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return false }
        return bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
