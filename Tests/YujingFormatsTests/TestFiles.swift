import Foundation
import Glibc
import Testing

@testable import YujingFormats

/// A temporary directory for one test, removed when the value is released.
final class TestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to `name` and returns its path.
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `text` as UTF-8 to `name` and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }
}

/// Reads `path` into a fresh recording sink.
func read(
    _ path: String, format: DatasetFormat? = nil, limits: ReaderLimits = .init(), chunkSize: Int? = nil
) throws(FormatError) -> (RecordingSink, ReadReport) {
    var reader = DatasetReader(path: path, format: format, limits: limits)
    if let chunkSize { reader.chunkSize = chunkSize }
    var sink = RecordingSink()
    let report = try reader.read(into: &sink)
    return (sink, report)
}

/// The error thrown when reading `path`, or nil.
func readError(
    _ path: String, format: DatasetFormat? = nil, limits: ReaderLimits = .init(), chunkSize: Int? = nil
) -> FormatError? {
    do {
        _ = try read(path, format: format, limits: limits, chunkSize: chunkSize)
        return nil
    } catch {
        return error
    }
}

/// `text` converted from UTF-8 to `encoding` with iconv.
func encode(_ text: String, to encoding: String) throws -> [UInt8] {
    let converter = iconv_open(encoding, "UTF-8")
    guard let converter, Int(bitPattern: converter) != -1 else { throw EncodingFailure() }
    defer { iconv_close(converter) }
    var input = Array(text.utf8).map { CChar(bitPattern: $0) }
    var output = [CChar](repeating: 0, count: input.count * 4 + 16)
    let produced = try input.withUnsafeMutableBufferPointer { inBuffer in
        try output.withUnsafeMutableBufferPointer { outBuffer in
            var inPointer = inBuffer.baseAddress
            var outPointer = outBuffer.baseAddress
            var inLeft = inBuffer.count
            var outLeft = outBuffer.count
            guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { throw EncodingFailure() }
            return outBuffer.count - outLeft
        }
    }
    return output.prefix(produced).map { UInt8(bitPattern: $0) }
}

struct EncodingFailure: Error {}
