import YujingCore
import YujingDetectors

/// What scanning one file produced, apart from the findings themselves (which are streamed).
public struct FileScanResult: Sendable {
    /// The file path as shown (identifiers in it masked).
    public var path: String
    /// The format read, when the file could be opened.
    public var format: DatasetFormat?
    /// The text encoding detected.
    public var encoding: TextEncoding?
    /// Bytes of the file consumed.
    public var bytesRead: Int64 = 0
    /// Findings reported, by kind.
    public var counts: [IdentifierKind: Int] = [:]
    /// Candidates suppressed by column profiling or for lack of context.
    public var suppressed = 0
    /// The error that stopped reading, if any (findings before it were still reported). Its message never
    /// quotes file content.
    public var error: FormatError?
    /// Non-fatal problems (for example malformed JSON Lines lines, skipped and reported).
    public var warnings: [FormatWarning] = []

    /// Total findings reported.
    public var findingCount: Int { counts.values.reduce(0, +) }
}

/// Scans dataset files: a ``DatasetReader`` feeds each value to a ``DetectionSession``; findings are
/// streamed to the caller as soon as their column is decided.
public struct DatasetScanner: Sendable {
    /// The detector.
    public let detector: IdentifierDetector
    /// Reader limits against hostile files.
    public let limits: ReaderLimits

    /// Creates a scanner.
    /// - Parameters:
    ///   - detector: The configured detector.
    ///   - limits: Reader limits.
    public init(detector: IdentifierDetector, limits: ReaderLimits = .init()) {
        self.detector = detector
        self.limits = limits
    }

    /// Scans one file.
    /// - Parameters:
    ///   - path: The file.
    ///   - format: The format, or nil to detect it.
    ///   - onFinding: Called for every finding, in file order within a column.
    ///   - onProgress: Called with the bytes consumed so far.
    /// - Returns: Counts, format, encoding, and the error if reading stopped.
    public func scan(
        path: String, format: DatasetFormat? = nil, onFinding: (Finding) -> Void,
        onProgress: (Int64) -> Void = { _ in }
    ) -> FileScanResult {
        withoutActuallyEscaping(onFinding) { onFinding in
            withoutActuallyEscaping(onProgress) { onProgress in
                let session = DetectionSession(detector: detector, file: path)
                var sink = ScanningSink(
                    session: session, onFinding: onFinding, onProgress: onProgress,
                    result: FileScanResult(path: session.displayFile))
                do throws(FormatError) {
                    let report = try DatasetReader(path: path, format: format, limits: limits).read(into: &sink)
                    sink.result.format = report.format
                    sink.result.encoding = report.encoding
                    sink.result.bytesRead = report.bytesRead
                    sink.result.warnings = report.warnings
                } catch {
                    sink.result.error = error
                }
                sink.finish()
                return sink.result
            }
        }
    }
}

/// Forwards reader callbacks to a detection session and streams its findings.
struct ScanningSink: CellSink {
    var session: DetectionSession
    let onFinding: (Finding) -> Void
    let onProgress: (Int64) -> Void
    var result: FileScanResult

    mutating func beginTable(sheet: String?) {
        session.beginTable(sheet: sheet)
    }

    mutating func defineField(_ id: Int, name: String) {
        session.defineField(id, name: name)
    }

    mutating func cell(_ value: UnsafeRawBufferPointer, at position: CellPosition) {
        guard value.count >= DetectionSession.minimumValueLength else { return }
        if session.scan(value, field: position.field, line: position.line, record: position.record, row: position.row) {
            emit(session.drain())
        }
    }

    mutating func endTable() {
        session.endTable()
        if session.hasReadyFindings { emit(session.drain()) }
    }

    mutating func progress(bytesConsumed: Int64) {
        onProgress(bytesConsumed)
    }

    /// Only values that can hold an identifier are of interest.
    var screensForIdentifiers: Bool { true }

    mutating func finish() {
        emit(session.finish())
        result.suppressed = session.suppressedCount
        for (index, kind) in IdentifierKind.allCases.enumerated() where counts[index] > 0 {
            result.counts[kind] = counts[index]
        }
    }

    private mutating func emit(_ findings: [Finding]) {
        for finding in findings {
            counts[finding.kind.ordinal] += 1
            onFinding(finding)
        }
    }

    /// Findings per kind, indexed by position in `IdentifierKind.allCases` (cheaper than a dictionary).
    var counts = [Int](repeating: 0, count: IdentifierKind.allCases.count)
}
