/// RFC 4180 CSV/TSV parser over chunk windows.
///
/// Quoted fields may hold delimiters, `""` escapes and line breaks (CRLF, LF or CR). Cells are passed to
/// the sink as slices of the window; only quoted cells holding `""` (or text after the closing quote) are
/// copied, to unescape them. Blank lines and empty cells are skipped. When the first record looks like a
/// header (see ``HeaderHeuristic``), its cells name the columns and data records are numbered from the
/// next one; otherwise fields are column indexes without names.
struct CSVParser: ChunkParser {
    private struct Span {
        var start: Int
        var end: Int
        var line: Int
        var quoted: Bool
        var needsCopy: Bool
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    let delimiter: UInt8
    let detectHeader: Bool
    private(set) var line = 1
    private var record = 0
    private var headerDecided = false
    private var pendingCarriageReturn = false
    private var spans: [Span] = []
    private let scratch = ByteBuffer(capacity: 4096)

    var currentLine: Int { line }

    init(delimiter: UInt8, detectHeader: Bool = true) {
        self.delimiter = delimiter
        self.detectHeader = detectHeader
        spans.reserveCapacity(64)
    }

    mutating func parse<S: CellSink>(
        _ bytes: UnsafeRawBufferPointer, isFinal: Bool, sink: inout S
    ) throws(FormatError) -> Int {
        guard let raw = bytes.baseAddress else { return 0 }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        let delimiter = self.delimiter
        var i = 0
        if pendingCarriageReturn, n > 0 {
            pendingCarriageReturn = false
            if p[0] == Self.lineFeed { i = 1 }
        }
        var committed = i
        while i < n {
            spans.removeAll(keepingCapacity: true)
            var l = line
            fields: while true {
                let fieldStart = i
                let fieldLine = l
                if i < n && p[i] == Self.quote {
                    i += 1
                    var needsCopy = false
                    quoted: while true {
                        while i < n {
                            let b = p[i]
                            if b == Self.quote { break }
                            if b == Self.lineFeed {
                                l += 1
                            } else if b == Self.carriageReturn && (i + 1 == n || p[i + 1] != Self.lineFeed) {
                                l += 1
                            }
                            i += 1
                        }
                        if i == n {
                            if !isFinal { return committed }
                            throw .malformed(format: .csv, line: fieldLine, reason: "unterminated quoted field")
                        }
                        if i + 1 == n && !isFinal { return committed }
                        if i + 1 < n && p[i + 1] == Self.quote {
                            needsCopy = true
                            i += 2
                            continue quoted
                        }
                        i += 1
                        break quoted
                    }
                    if i < n, p[i] != delimiter, p[i] != Self.lineFeed, p[i] != Self.carriageReturn {
                        // Text after the closing quote: keep it, as most spreadsheet tools do.
                        needsCopy = true
                        while i < n {
                            let b = p[i]
                            if b == delimiter || b == Self.lineFeed || b == Self.carriageReturn { break }
                            i += 1
                        }
                    }
                    spans.append(Span(start: fieldStart, end: i, line: fieldLine, quoted: true, needsCopy: needsCopy))
                } else {
                    while i < n {
                        let b = p[i]
                        if b == delimiter || b == Self.lineFeed || b == Self.carriageReturn { break }
                        i += 1
                    }
                    spans.append(Span(start: fieldStart, end: i, line: fieldLine, quoted: false, needsCopy: false))
                }
                if i == n {
                    if !isFinal { return committed }
                    break fields
                }
                let b = p[i]
                i += 1
                if b == delimiter { continue fields }
                if b == Self.carriageReturn {
                    if i < n {
                        if p[i] == Self.lineFeed { i += 1 }
                    } else if !isFinal {
                        pendingCarriageReturn = true
                    }
                }
                l += 1
                break fields
            }
            line = l
            committed = i
            emitRecord(UnsafeRawPointer(p), sink: &sink)
        }
        return committed
    }

    private func cellBytes(_ span: Span, base: UnsafeRawPointer) -> UnsafeRawBufferPointer {
        if span.needsCopy {
            scratch.removeAll()
            let end = span.end
            var index = span.start + 1
            while index < end {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                if byte == Self.quote {
                    if index + 1 < end && base.load(fromByteOffset: index + 1, as: UInt8.self) == Self.quote {
                        scratch.append(Self.quote)
                        index += 2
                        continue
                    }
                    scratch.append(UnsafeRawBufferPointer(start: base + index + 1, count: end - index - 1))
                    break
                }
                scratch.append(byte)
                index += 1
            }
            return scratch.bytes
        }
        if span.quoted {
            return UnsafeRawBufferPointer(start: base + span.start + 1, count: max(span.end - span.start - 2, 0))
        }
        return UnsafeRawBufferPointer(start: base + span.start, count: span.end - span.start)
    }

    private mutating func emitRecord<S: CellSink>(_ base: UnsafeRawPointer, sink: inout S) {
        if spans.count == 1 && spans[0].end == spans[0].start { return }
        if !headerDecided {
            headerDecided = true
            if detectHeader && decideHeader(base, sink: &sink) { return }
        }
        record += 1
        for (column, span) in spans.enumerated() where span.end > span.start {
            let value = cellBytes(span, base: base)
            if value.isEmpty { continue }
            sink.cell(value, at: CellPosition(field: column, line: span.line, record: record))
        }
    }

    /// Names the columns when the first record is a header.
    /// - Returns: Whether it was a header.
    private func decideHeader<S: CellSink>(_ base: UnsafeRawPointer, sink: inout S) -> Bool {
        let cells = spans.map { Array(cellBytes($0, base: base)) }
        guard HeaderHeuristic.isHeader(cells) else { return false }
        for (column, cell) in cells.enumerated() {
            let name = HeaderHeuristic.fieldName(cell)
            if !name.isEmpty { sink.defineField(column, name: name) }
        }
        return true
    }
}
