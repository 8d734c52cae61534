import CYujingBytes
import YujingDetectors

/// RFC 4180 CSV/TSV parser over chunk windows.
///
/// Quoted fields may hold delimiters, `""` escapes and line breaks (CRLF, LF or CR). Each cell is passed to
/// the sink as soon as its terminator is seen, as a slice of the window; only quoted cells holding `""` (or
/// text after the closing quote) are copied, to unescape them. The parser stops at field boundaries, so a
/// chunk that ends inside a field only carries that field over. Blank lines and empty cells are skipped, and
/// so are unquoted cells that cannot hold an identifier when the sink asks for it
/// (``CellSink/screensForIdentifiers``): the SIMD kernel that finds a cell's end counts its bytes on the way.
/// When the first record looks like a header (see ``HeaderHeuristic``), its cells name the columns and
/// data records are numbered from the next one; otherwise fields are column indexes without names.
struct CSVParser: ChunkParser {
    private struct PendingCell {
        var column: Int
        var line: Int
        var value: [UInt8]
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    let delimiter: UInt8
    let detectHeader: Bool
    private(set) var line = 1
    private var record = 0
    private var column = 0
    private var inRecord = false
    private var headerDecided = false
    private var firstRecord: [PendingCell] = []
    private var pendingCarriageReturn = false
    private let scratch = ByteBuffer(capacity: 4096)

    var currentLine: Int { line }

    init(delimiter: UInt8, detectHeader: Bool = true) {
        self.delimiter = delimiter
        self.detectHeader = detectHeader
        self.headerDecided = !detectHeader
    }

    mutating func parse<S: CellSink>(
        _ bytes: UnsafeRawBufferPointer, isFinal: Bool, sink: inout S
    ) throws(FormatError) -> Int {
        guard let raw = bytes.baseAddress else {
            if isFinal { finishRecord(sink: &sink) }
            return 0
        }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        let delimiter = self.delimiter
        let screens = sink.screensForIdentifiers
        var i = 0
        if pendingCarriageReturn, n > 0 {
            pendingCarriageReturn = false
            if p[0] == Self.lineFeed { i = 1 }
        }
        var l = line
        while i < n {
            let fieldStart = i
            if column == 0 && !inRecord {
                let b = p[i]
                if b == Self.lineFeed || b == Self.carriageReturn {
                    // A blank line.
                    i += 1
                    if b == Self.carriageReturn {
                        if i < n {
                            if p[i] == Self.lineFeed { i += 1 }
                        } else if !isFinal {
                            pendingCarriageReturn = true
                        }
                    }
                    l += 1
                    line = l
                    continue
                }
                inRecord = true
                record += 1
            }
            var quoted = false
            var needsCopy = false
            var census = ValueCensus()
            if p[i] == Self.quote {
                quoted = true
                i += 1
                quotedSection: while true {
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
                        if !isFinal { return fieldStart }
                        throw .malformed(format: .csv, line: line, reason: "unterminated quoted field")
                    }
                    if i + 1 == n && !isFinal { return fieldStart }
                    if i + 1 < n && p[i + 1] == Self.quote {
                        needsCopy = true
                        i += 2
                        continue quotedSection
                    }
                    i += 1
                    break quotedSection
                }
                if i < n, p[i] != delimiter, p[i] != Self.lineFeed, p[i] != Self.carriageReturn {
                    // Text after the closing quote: keep it, as most spreadsheet tools do.
                    needsCopy = true
                    i = Self.scanUnquoted(
                        p, from: i, count: n, delimiter: delimiter, census: &census)
                }
            } else {
                i = Self.scanUnquoted(
                    p, from: i, count: n, delimiter: delimiter, census: &census)
            }
            if i == n && !isFinal { return fieldStart }
            if i > fieldStart {
                let value: UnsafeRawBufferPointer
                if quoted {
                    value = cellBytes(p, start: fieldStart, end: i, needsCopy: needsCopy)
                } else {
                    value = UnsafeRawBufferPointer(start: p + fieldStart, count: i - fieldStart)
                }
                if headerDecided {
                    // Quoted cells were not counted (their bytes were passed over by another loop).
                    if !value.isEmpty, !screens || quoted || DetectionSession.canHoldIdentifier(census) {
                        sink.cell(value, at: CellPosition(field: column, line: line, record: record))
                    }
                } else {
                    firstRecord.append(PendingCell(column: column, line: line, value: Array(value)))
                }
            }
            if i == n { break }
            let b = p[i]
            i += 1
            if b == delimiter {
                column += 1
                line = l
                continue
            }
            if b == Self.carriageReturn {
                if i < n {
                    if p[i] == Self.lineFeed { i += 1 }
                } else if !isFinal {
                    pendingCarriageReturn = true
                }
            }
            l += 1
            line = l
            finishRecord(sink: &sink)
        }
        line = l
        if isFinal { finishRecord(sink: &sink) }
        return n
    }

    /// Index of the first delimiter, CR or LF at or after `start` (or `n`), sixteen bytes at a time.
    ///
    /// While it passes over the bytes it also counts the ones an identifier is made of (ASCII letters and
    /// digits, and 0xEF, the lead byte of full-width digits and letters) and notes any `@`, so that a cell
    /// that cannot hold an identifier (see ``DetectionSession/canHoldIdentifier(_:)``) is never handed to
    /// the detectors: most cells of a typical release (names, addresses, amounts, remarks, timestamps).
    @inline(__always)
    private static func scanUnquoted(
        _ p: UnsafePointer<UInt8>, from start: Int, count n: Int, delimiter: UInt8, census: inout ValueCensus
    ) -> Int {
        var characters = 0
        var digitsOnly: Int32 = 1
        var at: Int32 = 0
        let end = yj_scan_unquoted(p, start, n, delimiter, &characters, &digitsOnly, &at)
        census.characters &+= characters
        census.length &+= end &- start
        if digitsOnly == 0 { census.isAllDigits = false }
        if at != 0 { census.hasAt = true }
        return end
    }

    /// The value of the quoted field `start..<end` (which begins with the opening quote).
    private func cellBytes(
        _ p: UnsafePointer<UInt8>, start: Int, end: Int, needsCopy: Bool
    ) -> UnsafeRawBufferPointer {
        guard needsCopy else {
            return UnsafeRawBufferPointer(start: p + start + 1, count: max(end - start - 2, 0))
        }
        scratch.removeAll()
        var index = start + 1
        while index < end {
            let byte = p[index]
            if byte == Self.quote {
                if index + 1 < end && p[index + 1] == Self.quote {
                    scratch.append(Self.quote)
                    index += 2
                    continue
                }
                scratch.append(UnsafeRawBufferPointer(start: p + index + 1, count: end - index - 1))
                break
            }
            scratch.append(byte)
            index += 1
        }
        return scratch.bytes
    }

    /// Ends the current record; after the first one, decides whether it was a header.
    private mutating func finishRecord<S: CellSink>(sink: inout S) {
        column = 0
        inRecord = false
        guard !headerDecided, record > 0 else { return }
        headerDecided = true
        let cells = firstRecord
        firstRecord = []
        var row: [[UInt8]] = []
        for cell in cells {
            while row.count < cell.column { row.append([]) }
            row.append(cell.value)
        }
        if HeaderHeuristic.isHeader(row) {
            record = 0
            for cell in cells {
                let name = HeaderHeuristic.fieldName(cell.value)
                if !name.isEmpty { sink.defineField(cell.column, name: name) }
            }
            return
        }
        for cell in cells where !cell.value.isEmpty {
            cell.value.withUnsafeBytes { value in
                sink.cell(value, at: CellPosition(field: cell.column, line: cell.line, record: 1))
            }
        }
    }
}
