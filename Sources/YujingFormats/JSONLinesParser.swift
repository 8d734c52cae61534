/// JSON Lines / NDJSON: each non-blank line is one JSON value, numbered by its line.
///
/// A malformed line does not stop the read: it becomes a ``FormatWarning`` (collected in ``warnings`` and
/// copied into the ``ReadReport``) and reading goes on with the next line. Values of the bad line that were
/// passed before the error was found stay passed. A line longer than the record limit is a file error.
struct JSONLinesParser: ChunkParser {
    private var inner: JSONParser
    private(set) var line = 1
    private let maxWarnings: Int
    private(set) var warnings: [FormatWarning] = []
    private(set) var droppedWarnings = 0

    var currentLine: Int { line }

    init(maxDepth: Int, maxWarnings: Int) {
        inner = JSONParser(maxDepth: maxDepth, format: .jsonLines)
        self.maxWarnings = maxWarnings
    }

    mutating func parse<S: CellSink>(
        _ bytes: UnsafeRawBufferPointer, isFinal: Bool, sink: inout S
    ) throws(FormatError) -> Int {
        guard let raw = bytes.baseAddress else { return 0 }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var lineStart = 0
        var i = 0
        while i < n {
            if p[i] != 0x0A {
                i += 1
                continue
            }
            handle(UnsafeRawBufferPointer(start: p + lineStart, count: i - lineStart), sink: &sink)
            i += 1
            line += 1
            lineStart = i
        }
        if isFinal && lineStart < n {
            handle(UnsafeRawBufferPointer(start: p + lineStart, count: n - lineStart), sink: &sink)
            return n
        }
        return lineStart
    }

    private mutating func handle<S: CellSink>(_ text: UnsafeRawBufferPointer, sink: inout S) {
        guard !HeaderHeuristic.isBlank(text) else { return }
        inner.beginLine(line)
        do {
            _ = try inner.parse(text, isFinal: true, sink: &sink)
        } catch {
            let reason: String
            switch error {
            case .malformed(_, _, let text): reason = "malformed JSON: " + text
            default: reason = error.description
            }
            if warnings.count < maxWarnings {
                warnings.append(FormatWarning(line: line, reason: reason))
            } else {
                droppedWarnings += 1
            }
        }
    }
}
