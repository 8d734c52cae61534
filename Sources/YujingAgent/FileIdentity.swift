#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Device and inode of a file: stays with the file across renames; reused after deletion, hence the fingerprint.
public struct FileIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Device number.
    public var device: UInt64
    /// Inode number.
    public var inode: UInt64

    /// Creates an identity.
    /// - Parameters:
    ///   - device: Device number.
    ///   - inode: Inode number.
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// `device:inode`.
    public var description: String { "\(device):\(inode)" }
}
