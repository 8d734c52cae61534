/// Streaming JSON tokenizer that passes every string and number value as a cell.
///
/// Numbers are passed as their raw text with `isNumeric` set, so 16–19 digit identifiers keep every digit.
/// Strings are unescaped (including `\uXXXX` surrogate pairs) to UTF-8. `true`, `false`, `null` and object
/// keys are not cells. The field is the normalised path of the value, such as `$.data[*].sfzh`. The record
/// is the 1-based index of the item in a top-level array, else the index of the top-level value (1 for
/// a single document), or a fixed number (the line, for JSON Lines).
struct JSONParser: ChunkParser {
    private enum Expect {
        case value, firstValueOrEnd, key, firstKeyOrEnd, colon, commaOrEnd
    }

    private struct Frame {
        var isArray: Bool
        var node: Int
        var count: Int
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    private var stack: [Frame] = []
    private var expect = Expect.value
    private(set) var line = 1
    private var paths = FieldPathTable(rootName: "$")
    private var keyNode = 0
    private var topLevelValues = 0
    private var record = 1
    private let maxDepth: Int
    private let format: DatasetFormat
    private let scratch = ByteBuffer(capacity: 1024)
    /// When set (JSON Lines), the record of every value, and only one top-level value is accepted.
    private var fixedRecord: Int?

    var currentLine: Int { line }

    init(maxDepth: Int, format: DatasetFormat = .json) {
        self.maxDepth = maxDepth
        self.format = format
        stack.reserveCapacity(16)
    }

    /// Prepares for one JSON Lines line: a fresh value, numbered `lineNumber`; field paths are kept.
    mutating func beginLine(_ lineNumber: Int) {
        stack.removeAll(keepingCapacity: true)
        expect = .value
        line = lineNumber
        topLevelValues = 0
        fixedRecord = lineNumber
        record = lineNumber
    }

    private func malformed(_ reason: String) -> FormatError {
        .malformed(format: format, line: line, reason: reason)
    }

    mutating func parse<S: CellSink>(
        _ bytes: UnsafeRawBufferPointer, isFinal: Bool, sink: inout S
    ) throws(FormatError) -> Int {
        guard let raw = bytes.baseAddress else {
            if isFinal { try finish() }
            return 0
        }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        while i < n {
            let b = p[i]
            switch b {
            case 0x20, 0x09, 0x0D:
                i += 1
            case 0x0A:
                line += 1
                i += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let node = try beginValue()
                guard stack.count < maxDepth else { throw .tooDeep(line: line, limit: maxDepth) }
                let isArray = b == UInt8(ascii: "[")
                stack.append(Frame(isArray: isArray, node: node, count: 0))
                expect = isArray ? .firstValueOrEnd : .firstKeyOrEnd
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let isArray = b == UInt8(ascii: "]")
                guard let top = stack.last, top.isArray == isArray,
                    expect == .commaOrEnd || expect == (isArray ? .firstValueOrEnd : .firstKeyOrEnd)
                else { throw malformed(isArray ? "unexpected ']'" : "unexpected '}'") }
                stack.removeLast()
                endValue()
                i += 1
            case UInt8(ascii: ","):
                guard expect == .commaOrEnd, let top = stack.last else { throw malformed("unexpected ','") }
                expect = top.isArray ? .value : .key
                i += 1
            case UInt8(ascii: ":"):
                guard expect == .colon else { throw malformed("unexpected ':'") }
                expect = .value
                i += 1
            case Self.quote:
                var j = i + 1
                var hasEscape = false
                var newlines = 0
                while j < n {
                    let c = p[j]
                    if c == Self.quote { break }
                    if c == Self.backslash {
                        hasEscape = true
                        j += 2
                        continue
                    }
                    if c == 0x0A { newlines += 1 }
                    j += 1
                }
                if j >= n {
                    if !isFinal { return i }
                    throw malformed("unterminated string")
                }
                let content = UnsafeRawBufferPointer(start: p + i + 1, count: j - i - 1)
                let startLine = line
                if expect == .key || expect == .firstKeyOrEnd {
                    let key = hasEscape ? try unescape(content) : content
                    defineKey(key)
                    expect = .colon
                } else {
                    let node = try beginValue()
                    let value = hasEscape ? try unescape(content) : content
                    emit(value, node: node, line: startLine, isNumeric: false, sink: &sink)
                    endValue()
                }
                line += newlines
                i = j + 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i + 1
                while j < n, Self.isNumberByte(p[j]) { j += 1 }
                if j == n && !isFinal { return i }
                let text = UnsafeRawBufferPointer(start: p + i, count: j - i)
                guard Self.isValidNumber(text) else { throw malformed("invalid number") }
                let node = try beginValue()
                emit(text, node: node, line: line, isNumeric: true, sink: &sink)
                endValue()
                i = j
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let literal: [UInt8] =
                    b == UInt8(ascii: "t") ? Array("true".utf8) : b == UInt8(ascii: "f") ? Array("false".utf8)
                    : Array("null".utf8)
                if n - i < literal.count {
                    if !isFinal { return i }
                    throw malformed("invalid literal")
                }
                for (offset, expected) in literal.enumerated() where p[i + offset] != expected {
                    throw malformed("invalid literal")
                }
                _ = try beginValue()
                endValue()
                i += literal.count
            default:
                throw malformed("unexpected character")
            }
        }
        if isFinal { try finish() }
        return i
    }

    private func finish() throws(FormatError) {
        if !stack.isEmpty || expect == .colon { throw malformed("unexpected end of input") }
        if fixedRecord != nil && topLevelValues == 0 { throw malformed("no value") }
    }

    /// Checks that a value may start here and returns its path node.
    private mutating func beginValue() throws(FormatError) -> Int {
        guard expect == .value || expect == .firstValueOrEnd else { throw malformed("unexpected value") }
        guard let last = stack.indices.last else {
            if fixedRecord != nil && topLevelValues > 0 { throw malformed("unexpected data after the value") }
            topLevelValues += 1
            record = fixedRecord ?? topLevelValues
            return 0
        }
        guard stack[last].isArray else { return keyNode }
        stack[last].count += 1
        if last == 0 && fixedRecord == nil { record = stack[last].count }
        return paths.child(of: stack[last].node, component: "[]") { $0 + "[*]" }
    }

    private mutating func endValue() {
        expect = stack.isEmpty ? .value : .commaOrEnd
    }

    private mutating func defineKey(_ key: UnsafeRawBufferPointer) {
        let parent = stack.last?.node ?? 0
        let name = String(decoding: key, as: UTF8.self)
        keyNode = paths.child(of: parent, component: "." + name) { parentName in
            parentName + Self.renderKey(name)
        }
    }

    /// `.key` for plain keys, `["key"]` for keys with spaces, dots, brackets or quotes.
    static func renderKey(_ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { byte in
            byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "-")
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        }
        if plain { return "." + key }
        var escaped = ""
        for character in key.unicodeScalars {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "[\"" + escaped + "\"]"
    }

    private mutating func emit<S: CellSink>(
        _ value: UnsafeRawBufferPointer, node: Int, line: Int, isNumeric: Bool, sink: inout S
    ) {
        guard !value.isEmpty else { return }
        let field = paths.field(of: node, sink: &sink)
        sink.cell(value, at: CellPosition(field: field, line: line, record: record, isNumeric: isNumeric))
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-")
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    static func isValidNumber(_ text: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = text.count
        func digits() -> Int {
            let start = index
            while index < count, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < count, text[index] == UInt8(ascii: "-") { index += 1 }
        let leading = index
        let integerDigits = digits()
        guard integerDigits > 0 else { return false }
        if integerDigits > 1 && text[leading] == UInt8(ascii: "0") { return false }
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == count
    }

    /// Decodes the escapes of a string body into the scratch buffer.
    private func unescape(_ content: UnsafeRawBufferPointer) throws(FormatError) -> UnsafeRawBufferPointer {
        scratch.removeAll()
        scratch.reserve(content.count)
        var index = 0
        let count = content.count
        while index < count {
            let byte = content[index]
            guard byte == Self.backslash else {
                scratch.append(byte)
                index += 1
                continue
            }
            guard index + 1 < count else { throw malformed("invalid escape in string") }
            let escape = content[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = Self.hex4(content, at: index) else { throw malformed("invalid \\u escape") }
                index += 4
                var scalar = unit
                if (0xD800...0xDBFF).contains(unit), index + 6 <= count, content[index] == Self.backslash,
                    content[index + 1] == UInt8(ascii: "u"), let low = Self.hex4(content, at: index + 2),
                    (0xDC00...0xDFFF).contains(low)
                {
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                scratch.appendScalar(scalar)
            default:
                throw malformed("invalid escape in string")
            }
        }
        return scratch.bytes
    }

    private static func hex4(_ bytes: UnsafeRawBufferPointer, at start: Int) -> UInt32? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
