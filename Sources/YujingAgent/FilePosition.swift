/// Where reading of one file stands: its identity, fingerprint and a byte offset at a line boundary.
/// Checkpoints hold the acknowledged position; spooled batches carry the position after their last line.
public struct FilePosition: Sendable, Hashable, Codable {
    /// Stable key of the file (identity and fingerprint at first sight); part of batch ids.
    public var key: String
    /// Device and inode.
    public var identity: FileIdentity
    /// Fingerprint of the first bytes.
    public var fingerprint: FileFingerprint
    /// Last path the file was seen at.
    public var path: String
    /// Byte offset (after a newline).
    public var offset: UInt64

    /// Creates a position.
    /// - Parameters:
    ///   - key: File key.
    ///   - identity: Device and inode.
    ///   - fingerprint: Fingerprint.
    ///   - path: Last path.
    ///   - offset: Byte offset.
    public init(key: String, identity: FileIdentity, fingerprint: FileFingerprint, path: String, offset: UInt64) {
        self.key = key
        self.identity = identity
        self.fingerprint = fingerprint
        self.path = path
        self.offset = offset
    }
}
