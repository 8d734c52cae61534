#if canImport(Glibc)
    import Glibc
#endif

/// A log file being tailed: an open descriptor (so a renamed or deleted file can be finished), its identity,
/// fingerprint and the offset after the last consumed line.
final class TrackedFile {
    /// Copy handling: a new file whose first bytes equal a tailed file's is a copy (copytruncate). Both wait
    /// until the original is truncated (the copy continues from the original's offset) or a grace period
    /// passes without truncation (a plain copy: the copy is skipped, the original continues).
    enum CopyState {
        case none
        case copyOf(FileIdentity, deadline: ContinuousClock.Instant)
        case copied(deadline: ContinuousClock.Instant)
    }

    let source: Int
    var key: String
    let identity: FileIdentity
    var fingerprint: FileFingerprint
    var path: String
    let descriptor: Int32
    var offset: UInt64
    var goneSince: ContinuousClock.Instant?
    var copyState = CopyState.none
    /// An over-long line being skipped: its first `max_line_bytes` and how far the scan for its newline got.
    var longLine: (prefix: [UInt8], scannedTo: UInt64)?
    var size: UInt64 = 0
    /// Why reading this file fails, while it does (logged once, when reads start to fail).
    var readError: String?

    init(
        source: Int, key: String, identity: FileIdentity, fingerprint: FileFingerprint, path: String,
        descriptor: Int32, offset: UInt64
    ) {
        self.source = source
        self.key = key
        self.identity = identity
        self.fingerprint = fingerprint
        self.path = path
        self.descriptor = descriptor
        self.offset = offset
    }

    var position: FilePosition {
        FilePosition(key: key, identity: identity, fingerprint: fingerprint, path: path, offset: offset)
    }

    var isPaused: Bool {
        if case .none = copyState { return false }
        return true
    }

    func close() { _ = Glibc.close(descriptor) }

    /// A fresh key: identity, fingerprint and a random part, so a truncated file's new content never reuses
    /// batch ids of its old content.
    static func makeKey(_ identity: FileIdentity, _ fingerprint: FileFingerprint) -> String {
        let random = UInt32.random(in: 0...UInt32.max)
        return "\(identity.device)-\(identity.inode)-\(fingerprint.hash.prefix(8))-\(String(random, radix: 16))"
    }
}
