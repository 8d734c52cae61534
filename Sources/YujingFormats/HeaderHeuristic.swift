/// Decides whether the first row of a table is a header row.
enum HeaderHeuristic {
    /// A row is a header when more than half of its non-empty cells are text: not a number, at most
    /// 128 bytes, and without a run of six or more digits (identifiers, phone numbers, dates).
    static func isHeader(_ cells: [[UInt8]]) -> Bool {
        var nonEmpty = 0
        var text = 0
        for cell in cells {
            cell.withUnsafeBytes { bytes in
                guard !isBlank(bytes) else { return }
                nonEmpty += 1
                if bytes.count <= 128, !isNumeric(bytes), longestDigitRun(bytes) < 6 { text += 1 }
            }
        }
        return nonEmpty > 0 && text * 2 > nonEmpty
    }

    /// A header cell as a field name: decoded as UTF-8, surrounding whitespace removed.
    static func fieldName(_ cell: [UInt8]) -> String {
        var start = 0
        var end = cell.count
        while start < end, isSpace(cell[start]) { start += 1 }
        while end > start, isSpace(cell[end - 1]) { end -= 1 }
        return String(decoding: cell[start..<end], as: UTF8.self)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy(isSpace)
    }

    /// Whether `bytes` (trimmed of spaces) is a number such as `-1,234.5e3`, `12%` or `1.0`.
    static func isNumeric(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        if end > start, bytes[end - 1] == UInt8(ascii: "%") { end -= 1 }
        var index = start
        if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        var seenDot = false
        var seenExponent = false
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
            case UInt8(ascii: ","):
                guard digits > 0, !seenDot, !seenExponent else { return false }
            case UInt8(ascii: "."):
                guard !seenDot, !seenExponent else { return false }
                seenDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard digits > 0, !seenExponent else { return false }
                seenExponent = true
                if index + 1 < end, bytes[index + 1] == UInt8(ascii: "-") || bytes[index + 1] == UInt8(ascii: "+") {
                    index += 1
                }
            default:
                return false
            }
            index += 1
        }
        return digits > 0
    }

    static func longestDigitRun(_ bytes: UnsafeRawBufferPointer) -> Int {
        var longest = 0
        var run = 0
        for byte in bytes {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        return longest
    }
}
