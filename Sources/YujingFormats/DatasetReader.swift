import Glibc

/// Reads one dataset file and passes its values, as UTF-8, to a ``CellSink``.
///
/// The format is detected from the file name and first bytes unless given; the text encoding (UTF-8 with
/// or without BOM, UTF-16 LE/BE with BOM, GBK/GB18030) is detected from the first 64 KiB and converted to
/// UTF-8 while streaming. Memory stays bounded by ``ReaderLimits`` whatever the file size.
///
/// For each table (the file, or each XLSX worksheet) the sink sees ``CellSink/beginTable(sheet:)``,
/// then ``CellSink/defineField(_:name:)`` before the first cell of each named field, the cells in file
/// order, and ``CellSink/endTable()`` (also when reading fails part-way). Empty values are not passed.
public struct DatasetReader: Sendable {
    /// The file to read.
    public let path: String
    /// The format, or nil to detect it.
    public let format: DatasetFormat?
    /// Resource limits.
    public let limits: ReaderLimits
    /// Bytes read per chunk (tests use tiny chunks to exercise chunk boundaries).
    var chunkSize = 1 << 20

    /// Creates a reader.
    /// - Parameters:
    ///   - path: Path of the dataset file.
    ///   - format: Its format, or nil to detect it with ``DatasetFormat/detect(path:sample:)``.
    ///   - limits: Resource limits.
    public init(path: String, format: DatasetFormat? = nil, limits: ReaderLimits = .init()) {
        self.path = path
        self.format = format
        self.limits = limits
    }

    /// Reads the whole file into `sink`.
    /// - Parameter sink: Receives tables, field names, values and progress.
    /// - Returns: The format and encoding used and any non-fatal warnings (malformed JSON Lines lines).
    /// - Throws: ``FormatError`` when the file cannot be opened or read, is malformed, or breaks a limit.
    ///   Values read before the error have been passed to the sink.
    @discardableResult
    public func read<S: CellSink>(into sink: inout S) throws(FormatError) -> ReadReport {
        let (sample, isWholeFile) = try readSample()
        let format = self.format ?? DatasetFormat.detect(path: path, sample: sample)
        if format == .xlsx {
            var report = ReadReport(format: .xlsx, encoding: .utf8)
            report.bytesRead = try XLSXReader(path: path, limits: limits, chunkSize: chunkSize).read(into: &sink)
            return report
        }
        let encoding = sample.withUnsafeBytes { EncodingDetector.detect($0, isWholeFile: isWholeFile) }
        var report = ReadReport(format: format, encoding: encoding)
        let input = try DecodedInput(path: path, encoding: encoding, chunkSize: chunkSize)
        sink.beginTable(sheet: nil)
        defer {
            sink.endTable()
        }
        switch format {
        case .csv, .tsv:
            let delimiter = format == .tsv ? 0x09 : try sniffDelimiter(sample, encoding: encoding)
            var parser = CSVParser(delimiter: delimiter)
            try parser.run(input: input, chunkSize: chunkSize, maxPending: limits.maxRecordBytes, sink: &sink)
        case .json:
            var parser = JSONParser(maxDepth: limits.maxDepth)
            try parser.run(input: input, chunkSize: chunkSize, maxPending: limits.maxRecordBytes, sink: &sink)
        case .jsonLines:
            var parser = JSONLinesParser(maxDepth: limits.maxDepth, maxWarnings: limits.maxWarnings)
            defer {
                report.warnings = parser.warnings
                report.droppedWarnings = parser.droppedWarnings
            }
            try parser.run(input: input, chunkSize: chunkSize, maxPending: limits.maxRecordBytes, sink: &sink)
        case .xml:
            var parser = XMLDocumentParser(maxDepth: limits.maxDepth, maxTextBytes: limits.maxRecordBytes)
            try parser.run(input: input, chunkSize: chunkSize, maxPending: limits.maxRecordBytes, sink: &sink)
        case .text, .xlsx:
            var parser = TextParser(maxLineBytes: limits.maxLineBytes)
            try parser.run(input: input, chunkSize: chunkSize, maxPending: limits.maxLineBytes + 16, sink: &sink)
        }
        report.bytesRead = input.rawBytesRead
        report.replacedSequences = input.replacedSequences
        return report
    }

    /// The first bytes of the file, and whether they are the whole file.
    private func readSample() throws(FormatError) -> ([UInt8], Bool) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, errno: errno) }
        defer { close(descriptor) }
        var sample = [UInt8](repeating: 0, count: EncodingDetector.sampleSize)
        var filled = 0
        while filled < sample.count {
            let result = sample.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, errno: errno)
            }
            if result == 0 { break }
            filled += result
        }
        let isWholeFile = filled < sample.count
        sample.removeSubrange(filled...)
        return (sample, isWholeFile)
    }

    /// The CSV delimiter, sniffed from the sample converted to UTF-8.
    private func sniffDelimiter(_ sample: [UInt8], encoding: TextEncoding) throws(FormatError) -> UInt8 {
        let body = Array(sample.dropFirst(min(encoding.byteOrderMarkLength, sample.count)))
        guard let name = encoding.iconvName else {
            return body.withUnsafeBytes { DelimiterSniffer.sniff($0) }
        }
        let transcoder = try Transcoder(from: name)
        var output = [UInt8](repeating: 0, count: body.count * 2 + 16)
        let produced = body.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { transcoder.convert(input, into: $0).produced }
        }
        return output.withUnsafeBytes { DelimiterSniffer.sniff(UnsafeRawBufferPointer(rebasing: $0[..<produced])) }
    }
}
