/// An XML dataset: text content and attribute values are cells.
///
/// The field is the element path, such as `/root/record/sfzh`, or `/root/record/@id` for an attribute.
/// Text of one element is passed as one cell per run between child elements (CDATA and entities joined),
/// trimmed of surrounding whitespace; whitespace-only runs are skipped. The record is the 1-based index of
/// the current child of the root element (1 for content of the root itself).
struct XMLDocumentParser: ChunkParser {
    private var tokenizer: XMLTokenizer
    private var paths = FieldPathTable(rootName: "")
    private var nodes: [Int] = [0]
    private var record = 0
    private let text = ByteBuffer(capacity: 1024)
    private var textLine = 0
    private let maxTextBytes: Int

    var currentLine: Int { tokenizer.line }

    init(maxDepth: Int, maxTextBytes: Int) {
        tokenizer = XMLTokenizer(maxDepth: maxDepth, maxTextBytes: maxTextBytes, format: .xml)
        self.maxTextBytes = maxTextBytes
    }

    mutating func parse<S: CellSink>(
        _ bytes: UnsafeRawBufferPointer, isFinal: Bool, sink: inout S
    ) throws(FormatError) -> Int {
        tokenizer.reset(bytes, isFinal: isFinal)
        while let event = try tokenizer.next() {
            switch event {
            case .startElement(let name):
                flushText(sink: &sink)
                let parent = nodes.last ?? 0
                let component = String(decoding: name, as: UTF8.self)
                let node = paths.child(of: parent, component: component) { $0 + "/" + component }
                nodes.append(node)
                if nodes.count == 3 { record += 1 }
                for attribute in tokenizer.attributes {
                    let value = Self.trimmed(attribute.value)
                    guard !value.isEmpty else { continue }
                    let attributeName = "@" + String(decoding: attribute.name, as: UTF8.self)
                    let attributeNode = paths.child(of: node, component: attributeName) { $0 + "/" + attributeName }
                    let field = paths.field(of: attributeNode, sink: &sink)
                    let position = CellPosition(field: field, line: attribute.line, record: max(record, 1))
                    sink.cell(value, at: position)
                }
            case .endElement:
                flushText(sink: &sink)
                nodes.removeLast()
            case .text(let content, let line):
                guard nodes.count > 1 else { continue }
                if text.count == 0 {
                    let value = Self.trimmed(content)
                    guard !value.isEmpty else { continue }
                    textLine = line + Self.leadingLines(content, before: value)
                }
                guard text.count + content.count <= maxTextBytes else {
                    throw .recordTooLong(line: textLine, limit: maxTextBytes)
                }
                text.append(content)
            }
        }
        if isFinal {
            try tokenizer.finish()
            flushText(sink: &sink)
        }
        return tokenizer.consumed
    }

    private mutating func flushText<S: CellSink>(sink: inout S) {
        guard text.count > 0 else { return }
        defer { text.removeAll() }
        let value = Self.trimmed(text.bytes)
        guard !value.isEmpty, let node = nodes.last else { return }
        let field = paths.field(of: node, sink: &sink)
        sink.cell(value, at: CellPosition(field: field, line: textLine, record: max(record, 1)))
    }

    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, HeaderHeuristic.isSpace(bytes[start]) { start += 1 }
        while end > start, HeaderHeuristic.isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    private static func leadingLines(_ content: UnsafeRawBufferPointer, before value: UnsafeRawBufferPointer) -> Int {
        guard let contentStart = content.baseAddress, let valueStart = value.baseAddress else { return 0 }
        let skipped = valueStart - contentStart
        return content.prefix(skipped).filter { $0 == 0x0A }.count
    }
}
