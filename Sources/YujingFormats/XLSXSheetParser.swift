/// Streams one worksheet part (`xl/worksheets/sheetN.xml`) into cells.
///
/// Cell types: `s` (shared string), `inlineStr`, `str` (formula text), `d` (ISO date) pass their text;
/// `n` or no type pass the raw `<v>` text (such as `1.10105199E+17`) with `isNumeric` set; `b` passes
/// `TRUE`/`FALSE`; `e` (error) is skipped. The field is the 0-based column index. When the first non-empty
/// row is mostly text it is a header naming the columns; otherwise, and for columns beyond the header,
/// fields are named by column letter (`A`, `B`, …). `row` is the sheet row number, `record` the data row
/// number (rows after the header that hold values), `line` is 0.
struct XLSXSheetParser: ChunkParser {
    private enum CellKind {
        case shared, text, number, boolean, error
    }

    private struct BufferedCell {
        var column: Int
        var value: [UInt8]
        var isNumeric: Bool
    }

    private var tokenizer: XMLTokenizer
    private let strings: SharedStringTable
    private let value = ByteBuffer(capacity: 256)
    private let maxValueBytes: Int
    private var row = 0
    private var column = -1
    private var kind = CellKind.number
    private var inValue = false
    private var inInline = false
    private var inText = false
    private var phoneticDepth = 0
    private var headerDecided = false
    private var firstRow: [BufferedCell] = []
    private var firstRowNumber = 0
    private var namedColumns: [Bool] = []
    private var record = 0
    private var rowCounted = false

    var currentLine: Int { 0 }

    init(strings: SharedStringTable, limits: ReaderLimits) {
        self.strings = strings
        tokenizer = XMLTokenizer(maxDepth: limits.maxDepth, maxTextBytes: limits.maxRecordBytes, format: .xlsx)
        maxValueBytes = limits.maxRecordBytes
    }

    mutating func parse<S: CellSink>(
        _ bytes: UnsafeRawBufferPointer, isFinal: Bool, sink: inout S
    ) throws(FormatError) -> Int {
        tokenizer.reset(bytes, isFinal: isFinal)
        while let event = try tokenizer.next() {
            switch event {
            case .startElement(let name):
                startElement(XLSXNames.local(name))
            case .endElement(let name):
                switch XLSXNames.local(name) {
                case "c": finishCell(sink: &sink)
                case "row": finishRow(sink: &sink)
                case "v": inValue = false
                case "is": inInline = false
                case "t": inText = false
                case "rPh": phoneticDepth -= 1
                default: break
                }
            case .text(let content, _):
                guard inValue || (inInline && inText && phoneticDepth == 0) else { continue }
                guard value.count + content.count <= maxValueBytes else {
                    throw .recordTooLong(line: 0, limit: maxValueBytes)
                }
                value.append(content)
            }
        }
        if isFinal {
            try tokenizer.finish()
            finishRow(sink: &sink)
        }
        return tokenizer.consumed
    }

    private mutating func startElement(_ name: String) {
        switch name {
        case "row":
            let number = XLSXNames.attribute("r", in: tokenizer.attributes).flatMap { Int($0) }
            row = number ?? row + 1
            column = -1
            rowCounted = false
        case "c":
            let reference = tokenizer.attributes.first { XLSXNames.local($0.name) == "r" }
            column = reference.flatMap { XLSXNames.columnIndex($0.value) } ?? column + 1
            switch XLSXNames.attribute("t", in: tokenizer.attributes) {
            case "s": kind = .shared
            case "inlineStr", "str", "d": kind = .text
            case "b": kind = .boolean
            case "e": kind = .error
            default: kind = .number
            }
            value.removeAll()
        case "v": inValue = true
        case "is": inInline = true
        case "t": inText = true
        case "rPh": phoneticDepth += 1
        default: break
        }
    }

    private mutating func finishCell<S: CellSink>(sink: inout S) {
        let raw = XMLDocumentParser.trimmed(value.bytes)
        let cell: UnsafeRawBufferPointer
        var isNumeric = false
        switch kind {
        case .shared:
            guard let index = Int(String(decoding: raw, as: UTF8.self)), let text = strings[index] else { return }
            cell = text
        case .text:
            cell = value.bytes
        case .number:
            cell = raw
            isNumeric = true
        case .boolean:
            let text: StaticString = raw.first == UInt8(ascii: "1") ? "TRUE" : "FALSE"
            cell = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        case .error:
            return
        }
        guard !HeaderHeuristic.isBlank(cell) else { return }
        if !headerDecided {
            if firstRow.isEmpty { firstRowNumber = row }
            firstRow.append(BufferedCell(column: column, value: Array(cell), isNumeric: isNumeric))
            return
        }
        emit(cell, column: column, row: row, isNumeric: isNumeric, sink: &sink)
    }

    private mutating func finishRow<S: CellSink>(sink: inout S) {
        guard !headerDecided, !firstRow.isEmpty else { return }
        headerDecided = true
        let texts = firstRow.map { $0.isNumeric ? Array("0".utf8) : $0.value }
        if HeaderHeuristic.isHeader(texts) {
            for cell in firstRow {
                let name = HeaderHeuristic.fieldName(cell.value)
                markNamed(cell.column)
                sink.defineField(cell.column, name: name.isEmpty ? XLSXNames.columnLetters(cell.column) : name)
            }
        } else {
            rowCounted = false
            for cell in firstRow {
                cell.value.withUnsafeBytes { bytes in
                    emit(bytes, column: cell.column, row: firstRowNumber, isNumeric: cell.isNumeric, sink: &sink)
                }
            }
        }
        firstRow = []
    }

    private mutating func markNamed(_ column: Int) {
        if column >= namedColumns.count {
            namedColumns.append(contentsOf: repeatElement(false, count: column + 1 - namedColumns.count))
        }
        namedColumns[column] = true
    }

    private mutating func emit<S: CellSink>(
        _ cell: UnsafeRawBufferPointer, column: Int, row: Int, isNumeric: Bool, sink: inout S
    ) {
        if column >= namedColumns.count || !namedColumns[column] {
            markNamed(column)
            sink.defineField(column, name: XLSXNames.columnLetters(column))
        }
        if !rowCounted {
            rowCounted = true
            record += 1
        }
        sink.cell(cell, at: CellPosition(field: column, line: 0, record: record, row: row, isNumeric: isNumeric))
    }
}
