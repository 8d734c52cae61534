import Glibc

/// Why a dataset file could not be read.
///
/// Messages say what went wrong and where (line, byte offset, archive entry), never which bytes: the
/// content of a dataset may hold personal data. `reason` strings are always fixed text from this module.
public enum FormatError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened (`errno` from open(2)).
    case cannotOpen(path: String, errno: Int32)
    /// Reading the file failed (`errno` from read(2)).
    case readFailed(path: String, errno: Int32)
    /// The text encoding could not be converted to UTF-8 (iconv has no converter for it).
    case unsupportedEncoding(String)
    /// The file's syntax is broken at `line` (1-based; 0 when the format has no lines).
    case malformed(format: DatasetFormat, line: Int, reason: String)
    /// A record, line or token starting at `line` is longer than `limit` bytes.
    case recordTooLong(line: Int, limit: Int)
    /// JSON/XML nesting deeper than `limit` at `line`.
    case tooDeep(line: Int, limit: Int)
    /// The XLSX container is not a readable ZIP archive, or a required part is missing or broken.
    case invalidArchive(reason: String)
    /// An XLSX entry decompresses far more than its compressed size (a likely zip bomb).
    case compressionRatioTooHigh(entry: String, limit: Int)
    /// The XLSX workbook decompresses to more than `limit` bytes in total.
    case decompressedTooLarge(limit: Int64)
    /// The XLSX shared-strings table is larger than `limit` bytes.
    case sharedStringsTooLarge(limit: Int)

    /// The 1-based line the error refers to, when it has one.
    public var line: Int? {
        switch self {
        case .malformed(_, let line, _), .recordTooLong(let line, _), .tooDeep(let line, _):
            return line > 0 ? line : nil
        default:
            return nil
        }
    }

    /// A human-readable message that never quotes file content.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let code):
            return "cannot open \(path): \(Self.systemMessage(code))"
        case .readFailed(let path, let code):
            return "cannot read \(path): \(Self.systemMessage(code))"
        case .unsupportedEncoding(let name):
            return "text encoding \(name) cannot be converted to UTF-8 on this system"
        case .malformed(let format, let line, let reason):
            let place = line > 0 ? " at line \(line)" : ""
            return "malformed \(format.displayName)\(place): \(reason)"
        case .recordTooLong(let line, let limit):
            return "record starting at line \(line) is longer than the limit of \(limit) bytes"
        case .tooDeep(let line, let limit):
            return "nesting deeper than the limit of \(limit) levels at line \(line)"
        case .invalidArchive(let reason):
            return "invalid XLSX workbook: \(reason)"
        case .compressionRatioTooHigh(let entry, let limit):
            return "XLSX entry \(entry) expands more than \(limit) times its compressed size (possible zip bomb)"
        case .decompressedTooLarge(let limit):
            return "XLSX workbook decompresses to more than \(limit) bytes (possible zip bomb)"
        case .sharedStringsTooLarge(let limit):
            return "XLSX shared-strings table is larger than the limit of \(limit) bytes"
        }
    }

    private static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
