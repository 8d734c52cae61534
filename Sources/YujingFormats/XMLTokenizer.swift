import Glibc

/// A small streaming XML tokenizer over chunk windows, pull style.
///
/// Call ``reset(_:isFinal:)`` with the current window, then ``next()`` until it returns nil, then consume
/// ``consumed`` bytes. Buffers in events (and ``attributes``) are valid until the next call. Text and
/// attribute values have the predefined and numeric entities decoded; CDATA sections come as text;
/// comments, processing instructions and the DOCTYPE are skipped. Entity declarations are never expanded
/// (no external entities, no entity bombs). Start and end tags must match; nesting is limited.
struct XMLTokenizer {
    /// One token.
    enum Event {
        /// `<name …>` or `<name …/>` (the latter followed by an ``endElement(name:)``).
        case startElement(name: UnsafeRawBufferPointer)
        /// `</name>`.
        case endElement(name: UnsafeRawBufferPointer)
        /// Character data (entities decoded) or a CDATA section, starting on `line`.
        case text(UnsafeRawBufferPointer, line: Int)
    }

    /// A decoded attribute of the last ``Event/startElement(name:)``.
    struct Attribute {
        var name: UnsafeRawBufferPointer
        var value: UnsafeRawBufferPointer
        /// 1-based line on which the value starts (a start tag may span lines).
        var line: Int
    }

    private(set) var line = 1
    /// Line of the last start tag.
    private(set) var tagLine = 1
    private(set) var depth = 0
    private(set) var attributes: [Attribute] = []
    private let maxDepth: Int
    private let maxTextBytes: Int
    private let format: DatasetFormat
    private let names = ByteBuffer(capacity: 256)
    private var nameOffsets: [Int] = []
    private let scratch = ByteBuffer(capacity: 1024)
    private var pendingEnd = false
    private var base: UnsafePointer<UInt8>?
    private var count = 0
    private var position = 0
    private var isFinal = false

    init(maxDepth: Int, maxTextBytes: Int, format: DatasetFormat) {
        self.maxDepth = maxDepth
        self.maxTextBytes = maxTextBytes
        self.format = format
        nameOffsets.reserveCapacity(32)
    }

    /// Bytes of the current window fully tokenized.
    var consumed: Int { position }

    /// Starts tokenizing a new window (the unconsumed tail of the previous one plus new bytes).
    mutating func reset(_ bytes: UnsafeRawBufferPointer, isFinal: Bool) {
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        count = bytes.count
        position = 0
        self.isFinal = isFinal
    }

    private func malformed(_ reason: String) -> FormatError {
        .malformed(format: format, line: line, reason: reason)
    }

    /// Checks, at the end of the input, that every element was closed.
    func finish() throws(FormatError) {
        if depth > 0 { throw malformed("unexpected end of document inside an element") }
    }

    /// The next token, or nil when the window holds no complete token (or is exhausted).
    mutating func next() throws(FormatError) -> Event? {
        guard let p = base else { return nil }
        if pendingEnd {
            pendingEnd = false
            return .endElement(name: popName())
        }
        while position < count {
            if p[position] != UInt8(ascii: "<") {
                let start = position
                let found = memchr(p + start, Int32(UInt8(ascii: "<")), count - start)
                    .map { UnsafeRawPointer($0) - UnsafeRawPointer(p + start) }
                let end: Int
                if let found {
                    end = start + found
                } else {
                    guard isFinal else {
                        if count - start > maxTextBytes { throw .recordTooLong(line: line, limit: maxTextBytes) }
                        return nil
                    }
                    end = count
                }
                let startLine = line
                let raw = UnsafeRawBufferPointer(start: p + start, count: end - start)
                countLines(raw)
                position = end
                return .text(try decode(raw), line: startLine)
            }
            guard let event = try markup(p) else {
                if position >= count || isIncompleteAtEnd { return nil }
                continue
            }
            return event
        }
        return nil
    }

    private var isIncompleteAtEnd = false

    /// Handles markup at `position` (a `<`). Returns nil after skipping markup, or when it is incomplete
    /// (``isIncompleteAtEnd`` set).
    private mutating func markup(_ p: UnsafePointer<UInt8>) throws(FormatError) -> Event? {
        isIncompleteAtEnd = false
        let start = position
        let rest = count - start
        func hasPrefix(_ text: StaticString) -> Bool? {
            let length = text.utf8CodeUnitCount
            let compared = min(length, rest)
            if memcmp(p + start, text.utf8Start, compared) != 0 { return false }
            return compared == length ? true : nil
        }
        if rest < 2 { return try incomplete() }
        let second = p[start + 1]
        if second == UInt8(ascii: "?") {
            return try skip(until: "?>", from: start + 2)
        }
        if second == UInt8(ascii: "!") {
            guard let isComment = hasPrefix("<!--") else { return try incomplete() }
            if isComment { return try skip(until: "-->", from: start + 4) }
            guard let isCDATA = hasPrefix("<![CDATA[") else { return try incomplete() }
            if isCDATA {
                guard let end = find("]]>", from: start + 9) else { return try incomplete() }
                let startLine = line
                let content = UnsafeRawBufferPointer(start: p + start + 9, count: end - start - 9)
                countLines(UnsafeRawBufferPointer(start: p + start, count: end + 3 - start))
                position = end + 3
                return .text(content, line: startLine)
            }
            return try skipDeclaration(p, from: start + 2)
        }
        guard let end = tagEnd(p, from: start + 1) else { return try incomplete() }
        let tag = UnsafeRawBufferPointer(start: p + start, count: end + 1 - start)
        tagLine = line
        if second == UInt8(ascii: "/") {
            var nameEnd = end
            while nameEnd > start + 2, Self.isSpace(p[nameEnd - 1]) { nameEnd -= 1 }
            let name = UnsafeRawBufferPointer(start: p + start + 2, count: nameEnd - start - 2)
            guard depth > 0 else { throw malformed("end tag without a start tag") }
            let open = topName()
            guard open.elementsEqual(name) else {
                throw malformed("end tag does not match the start tag")
            }
            countLines(tag)
            position = end + 1
            return .endElement(name: popName())
        }
        let event = try startTag(p, from: start + 1, end: end)
        countLines(tag)
        position = end + 1
        return event
    }

    private mutating func incomplete() throws(FormatError) -> Event? {
        if isFinal { throw malformed("unexpected end of document inside markup") }
        if count - position > maxTextBytes { throw .recordTooLong(line: line, limit: maxTextBytes) }
        isIncompleteAtEnd = true
        return nil
    }

    private mutating func skip(until terminator: StaticString, from start: Int) throws(FormatError) -> Event? {
        guard let end = find(terminator, from: start) else { return try incomplete() }
        let stop = end + terminator.utf8CodeUnitCount
        countLines(UnsafeRawBufferPointer(start: base.map { $0 + position }, count: stop - position))
        position = stop
        return nil
    }

    /// Skips `<!DOCTYPE …>` including an internal subset in brackets.
    private mutating func skipDeclaration(_ p: UnsafePointer<UInt8>, from start: Int) throws(FormatError) -> Event? {
        var index = start
        var brackets = 0
        var quoteByte: UInt8 = 0
        while index < count {
            let byte = p[index]
            if quoteByte != 0 {
                if byte == quoteByte { quoteByte = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quoteByte = byte
            } else if byte == UInt8(ascii: "[") {
                brackets += 1
            } else if byte == UInt8(ascii: "]") {
                brackets -= 1
            } else if byte == UInt8(ascii: ">") && brackets <= 0 {
                countLines(UnsafeRawBufferPointer(start: p + position, count: index + 1 - position))
                position = index + 1
                return nil
            }
            index += 1
        }
        return try incomplete()
    }

    private func find(_ terminator: StaticString, from start: Int) -> Int? {
        guard let p = base else { return nil }
        let length = terminator.utf8CodeUnitCount
        let first = Int32(terminator.utf8Start.pointee)
        var index = start
        while index + length <= count {
            guard let hit = memchr(p + index, first, count - index) else { return nil }
            let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(p)
            if offset + length > count { return nil }
            if memcmp(p + offset, terminator.utf8Start, length) == 0 { return offset }
            index = offset + 1
        }
        return nil
    }

    /// Index of the `>` closing a tag, skipping `>` inside quoted attribute values.
    private func tagEnd(_ p: UnsafePointer<UInt8>, from start: Int) -> Int? {
        var index = start
        var quoteByte: UInt8 = 0
        while index < count {
            let byte = p[index]
            if quoteByte != 0 {
                if byte == quoteByte { quoteByte = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quoteByte = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
            index += 1
        }
        return nil
    }

    private mutating func startTag(
        _ p: UnsafePointer<UInt8>, from start: Int, end: Int
    ) throws(FormatError) -> Event {
        var close = end
        let selfClosing = close > start && p[close - 1] == UInt8(ascii: "/")
        if selfClosing { close -= 1 }
        var index = start
        while index < close, !Self.isSpace(p[index]) { index += 1 }
        guard index > start else { throw malformed("element without a name") }
        guard depth < maxDepth else { throw .tooDeep(line: line, limit: maxDepth) }
        pushName(UnsafeRawBufferPointer(start: p + start, count: index - start))
        depth += 1
        attributes.removeAll(keepingCapacity: true)
        scratch.removeAll()
        scratch.reserve(end - start + 16)
        var valueLine = line
        var linesCountedTo = start
        while index < close {
            while index < close, Self.isSpace(p[index]) { index += 1 }
            guard index < close else { break }
            let nameStart = index
            while index < close, p[index] != UInt8(ascii: "="), !Self.isSpace(p[index]) { index += 1 }
            let name = UnsafeRawBufferPointer(start: p + nameStart, count: index - nameStart)
            while index < close, Self.isSpace(p[index]) { index += 1 }
            guard index < close, p[index] == UInt8(ascii: "=") else { throw malformed("attribute without a value") }
            index += 1
            while index < close, Self.isSpace(p[index]) { index += 1 }
            guard index < close, p[index] == UInt8(ascii: "\"") || p[index] == UInt8(ascii: "'") else {
                throw malformed("attribute value without quotes")
            }
            let quoteByte = p[index]
            index += 1
            let valueStart = index
            while index < close, p[index] != quoteByte { index += 1 }
            guard index < close else { throw malformed("unterminated attribute value") }
            let raw = UnsafeRawBufferPointer(start: p + valueStart, count: index - valueStart)
            index += 1
            while linesCountedTo < valueStart {
                if p[linesCountedTo] == 0x0A { valueLine += 1 }
                linesCountedTo += 1
            }
            attributes.append(Attribute(name: name, value: decodeAppending(raw), line: valueLine))
        }
        let name = topName()
        if selfClosing { pendingEnd = true }
        return .startElement(name: name)
    }

    private mutating func pushName(_ name: UnsafeRawBufferPointer) {
        nameOffsets.append(names.count)
        names.append(name)
    }

    private func topName() -> UnsafeRawBufferPointer {
        let start = nameOffsets.last ?? 0
        return UnsafeRawBufferPointer(start: names.base + start, count: names.count - start)
    }

    /// Pops the innermost name; the returned buffer stays valid until the next push.
    private mutating func popName() -> UnsafeRawBufferPointer {
        let name = topName()
        if let start = nameOffsets.popLast() { names.count = start }
        depth -= 1
        return name
    }

    private mutating func countLines(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress else { return }
        var pointer = start
        let end = start + bytes.count
        while pointer < end, let hit = memchr(pointer, 0x0A, end - pointer) {
            line += 1
            pointer = UnsafeRawPointer(hit) + 1
        }
    }

    /// Entity-decoded text, in the scratch buffer when it had entities.
    private mutating func decode(_ raw: UnsafeRawBufferPointer) throws(FormatError) -> UnsafeRawBufferPointer {
        guard let start = raw.baseAddress, memchr(start, Int32(UInt8(ascii: "&")), raw.count) != nil else {
            return raw
        }
        scratch.removeAll()
        scratch.reserve(raw.count)
        return decodeAppending(raw)
    }

    /// Appends `raw` with entities decoded to the scratch buffer (which must have room for `raw.count` more
    /// bytes, so that earlier results stay valid) and returns the appended part.
    private func decodeAppending(_ raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let start = raw.baseAddress, memchr(start, Int32(UInt8(ascii: "&")), raw.count) != nil else {
            return raw
        }
        let first = scratch.count
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "&"),
                let semicolon = (index + 1..<min(raw.count, index + 12)).first(where: { raw[$0] == 0x3B })
            else {
                scratch.append(byte)
                index += 1
                continue
            }
            let entity = UnsafeRawBufferPointer(rebasing: raw[(index + 1)..<semicolon])
            if let scalar = Self.entityScalar(entity) {
                scratch.appendScalar(scalar)
            } else {
                scratch.append(UnsafeRawBufferPointer(rebasing: raw[index...semicolon]))
            }
            index = semicolon + 1
        }
        return UnsafeRawBufferPointer(start: scratch.base + first, count: scratch.count - first)
    }

    private static func entityScalar(_ name: UnsafeRawBufferPointer) -> UInt32? {
        switch Array(name) {
        case Array("amp".utf8): return 0x26
        case Array("lt".utf8): return 0x3C
        case Array("gt".utf8): return 0x3E
        case Array("quot".utf8): return 0x22
        case Array("apos".utf8): return 0x27
        default: break
        }
        guard name.count >= 2, name[0] == UInt8(ascii: "#") else { return nil }
        let isHex = name[1] == UInt8(ascii: "x") || name[1] == UInt8(ascii: "X")
        let digits = name.dropFirst(isHex ? 2 : 1)
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        guard let value = UInt32(String(decoding: digits, as: UTF8.self), radix: isHex ? 16 : 10) else { return nil }
        return value
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
