import Crypto
import Foundation

/// A hash of a file's first bytes (up to ``FileFingerprint/standardLength``): tells a reused inode or a
/// truncated-and-rewritten file from the file that was read before, and finds a copy of a file.
public struct FileFingerprint: Sendable, Hashable, Codable {
    /// How many leading bytes a complete fingerprint covers.
    public static let standardLength = 256

    /// Bytes covered (less than the standard length while the file is shorter).
    public var length: Int
    /// First 64 bits of the SHA-256 of those bytes, hex.
    public var hash: String

    /// Creates a fingerprint.
    /// - Parameters:
    ///   - length: Bytes covered.
    ///   - hash: Hex hash.
    public init(length: Int, hash: String) {
        self.length = length
        self.hash = hash
    }

    /// The fingerprint of some bytes.
    /// - Parameter bytes: The leading bytes of a file.
    /// - Returns: The fingerprint.
    public static func of<Bytes: Collection>(_ bytes: Bytes) -> FileFingerprint where Bytes.Element == UInt8 {
        let digest = SHA256.hash(data: Array(bytes))
        let hex = digest.prefix(8).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
        }.joined()
        return FileFingerprint(length: bytes.count, hash: hex)
    }

    /// Whether an open file starts with the bytes this fingerprint covers.
    /// - Parameter descriptor: An open file.
    /// - Returns: True when the file is at least `length` bytes long and its first `length` bytes match.
    func matches(descriptor: Int32) -> Bool {
        check(descriptor: descriptor) ?? false
    }

    /// Whether an open file starts with the bytes this fingerprint covers, or nil when they cannot be read
    /// (an I/O error: nothing can be concluded, least of all that the file was truncated).
    /// - Parameter descriptor: An open file.
    /// - Returns: True or false as ``matches(descriptor:)``; nil when reading fails.
    func check(descriptor: Int32) -> Bool? {
        guard let bytes = try? FileIO.read(descriptor, at: 0, count: length) else { return nil }
        return bytes.count == length && FileFingerprint.of(bytes) == self
    }

    /// The fingerprint of an open file's first bytes, or nil when they cannot be read.
    /// - Parameter descriptor: An open file.
    static func readable(descriptor: Int32) -> FileFingerprint? {
        (try? FileIO.read(descriptor, at: 0, count: standardLength)).map { .of($0) }
    }

    /// The fingerprint of an open file's first bytes.
    /// - Parameter descriptor: An open file.
    /// - Returns: The fingerprint of up to ``standardLength`` leading bytes.
    static func of(descriptor: Int32) -> FileFingerprint {
        readable(descriptor: descriptor) ?? .of([UInt8]())
    }
}
