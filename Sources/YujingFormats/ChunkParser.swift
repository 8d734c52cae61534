/// A streaming parser fed with windows of UTF-8: it consumes complete records or tokens from the front
/// and leaves an incomplete tail for the next call.
protocol ChunkParser {
    /// 1-based line at the start of the unconsumed input (for error messages).
    var currentLine: Int { get }

    /// Parses from the front of `bytes`, passing values to `sink`.
    /// - Parameters:
    ///   - bytes: Unconsumed input followed by newly read input.
    ///   - isFinal: No more input will follow; everything must be consumed.
    ///   - sink: Receives the values.
    /// - Returns: How many bytes were consumed.
    mutating func parse<S: CellSink>(
        _ bytes: UnsafeRawBufferPointer, isFinal: Bool, sink: inout S
    ) throws(FormatError) -> Int
}

extension ChunkParser {
    /// Reads `input` to its end through this parser.
    ///
    /// Memory is bounded by `maxPending` plus one chunk: a tail longer than `maxPending` that the parser
    /// cannot consume is a ``FormatError/recordTooLong(line:limit:)``.
    mutating func run<S: CellSink>(
        input: DecodedInput, chunkSize: Int, maxPending: Int, sink: inout S
    ) throws(FormatError) {
        let readSize = max(chunkSize, 16)
        let window = ChunkWindow(capacity: readSize * 2)
        while true {
            let space = window.freeSpace(minimum: readSize)
            let read = try input.read(into: space)
            window.commit(read)
            let isFinal = read == 0
            let consumed = try parse(window.available, isFinal: isFinal, sink: &sink)
            window.consume(consumed)
            sink.progress(bytesConsumed: input.rawBytesRead)
            if isFinal { return }
            if window.count > maxPending {
                throw .recordTooLong(line: currentLine, limit: maxPending)
            }
        }
    }
}
