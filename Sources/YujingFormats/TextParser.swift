/// Plain text: every non-empty line is one cell (field -1, record and line = the line number).
///
/// Line breaks are LF, CRLF or CR. A line longer than `maxLineBytes` is passed in consecutive pieces of at
/// most `maxLineBytes` (cut at a UTF-8 character boundary), all with the same line number, so memory stays
/// bounded without losing content.
struct TextParser: ChunkParser {
    private(set) var line = 1
    private let maxLineBytes: Int
    private var pendingCarriageReturn = false

    var currentLine: Int { line }

    init(maxLineBytes: Int) {
        self.maxLineBytes = max(maxLineBytes, 16)
    }

    mutating func parse<S: CellSink>(
        _ bytes: UnsafeRawBufferPointer, isFinal: Bool, sink: inout S
    ) throws(FormatError) -> Int {
        guard let raw = bytes.baseAddress else { return 0 }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        if pendingCarriageReturn, n > 0 {
            pendingCarriageReturn = false
            if p[0] == 0x0A { i = 1 }
        }
        var lineStart = i
        while i < n {
            let b = p[i]
            if b != 0x0A && b != 0x0D {
                i += 1
                if i - lineStart >= maxLineBytes {
                    lineStart = emitPiece(p, from: lineStart, to: i, sink: &sink)
                }
                continue
            }
            emit(UnsafeRawBufferPointer(start: p + lineStart, count: i - lineStart), sink: &sink)
            i += 1
            if b == 0x0D {
                if i < n {
                    if p[i] == 0x0A { i += 1 }
                } else if !isFinal {
                    pendingCarriageReturn = true
                }
            }
            line += 1
            lineStart = i
        }
        if isFinal && lineStart < n {
            emit(UnsafeRawBufferPointer(start: p + lineStart, count: n - lineStart), sink: &sink)
            return n
        }
        return lineStart
    }

    /// Passes `start..<end` minus any incomplete UTF-8 character at its end. - Returns: The new line start.
    private func emitPiece<S: CellSink>(
        _ p: UnsafePointer<UInt8>, from start: Int, to end: Int, sink: inout S
    ) -> Int {
        var cut = end
        var back = 0
        while back < 3, cut - 1 > start, p[cut - 1] & 0xC0 == 0x80 {
            cut -= 1
            back += 1
        }
        if cut - 1 >= start, p[cut - 1] >= 0xC0 {
            let lead = p[cut - 1]
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            if end - (cut - 1) < length { cut -= 1 } else { cut = end }
        } else {
            cut = end
        }
        if cut <= start { cut = end }
        emit(UnsafeRawBufferPointer(start: p + start, count: cut - start), sink: &sink)
        return cut
    }

    private func emit<S: CellSink>(_ value: UnsafeRawBufferPointer, sink: inout S) {
        guard !value.isEmpty else { return }
        sink.cell(value, at: CellPosition(field: -1, line: line, record: line))
    }
}
