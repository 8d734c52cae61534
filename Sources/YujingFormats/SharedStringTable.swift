/// The shared-strings table of an XLSX workbook (`xl/sharedStrings.xml`): rich-text runs of an item are
/// concatenated, phonetic runs (`rPh`) are left out. Memory is bounded by
/// ``ReaderLimits/maxSharedStringsBytes``. Not `Sendable`: it owns manual memory, used by one reader.
final class SharedStringTable {
    private let storage = ByteBuffer(capacity: 4096)
    private var offsets: [Int] = [0]
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { offsets.count - 1 }

    subscript(index: Int) -> UnsafeRawBufferPointer? {
        guard index >= 0, index < count else { return nil }
        return UnsafeRawBufferPointer(start: storage.base + offsets[index], count: offsets[index + 1] - offsets[index])
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws(FormatError) {
        guard storage.count + bytes.count + offsets.count * 8 <= limit else {
            throw .sharedStringsTooLarge(limit: limit)
        }
        storage.append(bytes)
        offsets.append(storage.count)
    }

    /// Parses `xl/sharedStrings.xml` into the table.
    struct Parser {
        private var tokenizer: XMLTokenizer
        private let table: SharedStringTable
        private let current = ByteBuffer(capacity: 256)
        private var inItem = false
        private var inText = false
        private var phoneticDepth = 0
        private let maxItemBytes: Int

        init(table: SharedStringTable, limits: ReaderLimits) {
            self.table = table
            tokenizer = XMLTokenizer(maxDepth: limits.maxDepth, maxTextBytes: limits.maxRecordBytes, format: .xlsx)
            maxItemBytes = limits.maxRecordBytes
        }

        mutating func parse(_ bytes: UnsafeRawBufferPointer, isFinal: Bool) throws(FormatError) -> Int {
            tokenizer.reset(bytes, isFinal: isFinal)
            while let event = try tokenizer.next() {
                switch event {
                case .startElement(let name):
                    switch XLSXNames.local(name) {
                    case "si":
                        inItem = true
                        current.removeAll()
                    case "t": inText = true
                    case "rPh": phoneticDepth += 1
                    default: break
                    }
                case .endElement(let name):
                    switch XLSXNames.local(name) {
                    case "si":
                        inItem = false
                        try table.append(current.bytes)
                    case "t": inText = false
                    case "rPh": phoneticDepth -= 1
                    default: break
                    }
                case .text(let content, _):
                    guard inItem, inText, phoneticDepth == 0 else { continue }
                    guard current.count + content.count <= maxItemBytes else {
                        throw .recordTooLong(line: 0, limit: maxItemBytes)
                    }
                    current.append(content)
                }
            }
            if isFinal { try tokenizer.finish() }
            return tokenizer.consumed
        }
    }
}
