import Foundation
import ZIPFoundation

/// The ZIP container of an XLSX workbook, with zip-bomb protection.
///
/// Entries are streamed in chunks into a parser. Before extracting, the declared sizes are checked against
/// the total decompression budget and the compression-ratio limit; while extracting, the bytes actually
/// produced are counted and checked again, since ZIP headers can lie. Not `Sendable`: it wraps an open
/// `Archive`, used by one reader.
final class XLSXArchive {
    /// Entries smaller than this are not subject to the ratio check (tiny XML parts compress very well).
    static let ratioCheckFloor: Int64 = 1 << 20

    private let archive: Archive
    private let limits: ReaderLimits
    private let chunkSize: Int
    /// Bytes decompressed so far, over all entries.
    private(set) var decompressed: Int64 = 0
    /// Compressed bytes of the entries fully read so far.
    private(set) var compressedRead: Int64 = 0

    init(path: String, limits: ReaderLimits, chunkSize: Int) throws(FormatError) {
        guard access(path, R_OK) == 0 else { throw .cannotOpen(path: path, errno: errno) }
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .invalidArchive(reason: "not a readable ZIP archive")
        }
        self.limits = limits
        self.chunkSize = max(chunkSize, 64)
    }

    func contains(_ path: String) -> Bool {
        archive[path] != nil
    }

    /// Streams the entry at `path` through `body`, which consumes complete tokens from the front of the
    /// window it is given and returns how many bytes it consumed.
    /// - Parameters:
    ///   - path: Entry path inside the archive.
    ///   - progress: Called per chunk with an estimate of the compressed bytes read so far.
    ///   - body: The parser; its second argument is true for the final call.
    func stream(
        _ path: String,
        progress: (Int64) -> Void = { _ in },
        _ body: (UnsafeRawBufferPointer, Bool) throws(FormatError) -> Int
    ) throws(FormatError) {
        guard let entry = archive[path] else { throw .invalidArchive(reason: "missing part \(path)") }
        let compressed = Int64(clamping: entry.compressedSize)
        let declared = Int64(clamping: entry.uncompressedSize)
        let ratio = Int64(limits.maxCompressionRatio)
        let ratioBudget = max(compressed, 1).multipliedReportingOverflow(by: ratio)
        let maxProduced = ratioBudget.overflow ? Int64.max : ratioBudget.partialValue
        if declared > limits.maxDecompressedBytes - decompressed {
            throw .decompressedTooLarge(limit: limits.maxDecompressedBytes)
        }
        if declared > Self.ratioCheckFloor && declared > maxProduced {
            throw .compressionRatioTooHigh(entry: path, limit: limits.maxCompressionRatio)
        }
        let window = ChunkWindow(capacity: chunkSize * 2)
        var produced: Int64 = 0
        let maxPending = limits.maxRecordBytes
        let startCompressed = compressedRead
        do {
            _ = try archive.extract(entry, bufferSize: chunkSize) { data in
                produced += Int64(data.count)
                decompressed += Int64(data.count)
                if decompressed > limits.maxDecompressedBytes {
                    throw FormatError.decompressedTooLarge(limit: limits.maxDecompressedBytes)
                }
                if produced > Self.ratioCheckFloor && produced > maxProduced {
                    throw FormatError.compressionRatioTooHigh(entry: path, limit: limits.maxCompressionRatio)
                }
                data.withUnsafeBytes { window.append($0) }
                let consumed = try body(window.available, false)
                window.consume(consumed)
                if window.count > maxPending { throw FormatError.recordTooLong(line: 0, limit: maxPending) }
                let estimate = declared > 0 ? min(compressed, produced * compressed / declared) : 0
                progress(startCompressed + estimate)
            }
        } catch let error as FormatError {
            throw error
        } catch {
            throw .invalidArchive(reason: "cannot decompress part \(path)")
        }
        let consumed = try body(window.available, true)
        window.consume(consumed)
        compressedRead += compressed
        progress(compressedRead)
    }
}
