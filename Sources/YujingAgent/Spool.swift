import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The disk spool: every batch is written here before it is sent and removed once the checkpoint that covers
/// it is saved, so a batch formed once is re-sent with the same id after any crash. Files are fsync'd while
/// the center is unreachable (and all of them when an outage starts); each is written to a temporary name and
/// renamed, so a kill mid-write leaves no torn batch. Bounded: ``isFull`` stops reading.
struct Spool {
    let directory: String
    let maxBytes: Int64
    private(set) var usedBytes: Int64 = 0
    private(set) var count = 0

    init(directory: String, maxBytes: Int64) throws(AgentError) {
        self.directory = directory
        self.maxBytes = maxBytes
        try FileIO.makeDirectory(directory)
    }

    var isFull: Bool { usedBytes >= maxBytes }

    func path(of sequence: UInt64) -> String {
        let digits = String(sequence)
        let padded = String(repeating: "0", count: max(0, 16 - digits.count)) + digits
        return (directory as NSString).appendingPathComponent(padded + ".batch")
    }

    /// Writes a batch file.
    mutating func write(_ entry: SpoolEntry, body: [UInt8], durable: Bool) throws(AgentError) -> SpoolEntry {
        let header: [UInt8]
        do {
            header = [UInt8](try JSONEncoder().encode(entry)) + [0x0A]
        } catch {
            throw .encoding("spool header")
        }
        let path = path(of: entry.sequence)
        do {
            try FileIO.writeAtomically([header, body], to: path, durable: durable)
        } catch {
            unlink(path + ".tmp")
            throw error
        }
        var stored = entry
        stored.size = Int64(header.count + body.count)
        usedBytes += stored.size
        count += 1
        return stored
    }

    /// What reading a stored batch gave.
    enum BodyRead {
        /// The gzip'd request body.
        case body([UInt8])
        /// The file is gone or has no header line: its lines cannot be sent any more.
        case lost(reason: String)
        /// The file cannot be read now (too many open files, an I/O error, a directory in its place): read it again
        /// later.
        case unavailable(reason: String)
    }

    /// Reads the body of a stored batch.
    func readBody(of entry: SpoolEntry) -> BodyRead {
        let path = path(of: entry.sequence)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return errno == ENOENT ? .lost(reason: "spool file missing") : .unavailable(reason: FileIO.errorText())
        }
        defer { close(descriptor) }
        guard let info = FileIO.status(descriptor: descriptor) else { return .unavailable(reason: FileIO.errorText()) }
        guard FileIO.isRegular(info) else { return .unavailable(reason: "not a regular file") }
        let data: [UInt8]
        do {
            data = try FileIO.read(descriptor, at: 0, count: Int(info.st_size))
        } catch {
            return .unavailable(reason: "\(error)")
        }
        guard let newline = data.firstIndex(of: 0x0A) else { return .lost(reason: "spool file corrupt (no header line)") }
        return .body(Array(data[(newline + 1)...]))
    }

    mutating func remove(_ entry: SpoolEntry) {
        unlink(path(of: entry.sequence))
        usedBytes -= entry.size
        count -= 1
    }

    /// fsyncs every spool file and the directory (when an outage starts).
    func syncAll(_ entries: [SpoolEntry]) {
        for entry in entries { FileIO.sync(path: path(of: entry.sequence)) }
        FileIO.sync(path: directory)
    }

    /// Batch files ``load()`` found corrupt and removed (names only).
    private(set) var discarded: [String] = []

    /// Loads the stored batches in creation order. Temporary files (a kill mid-write) are removed; so are batch
    /// files that are corrupt (something other than the agent changed them), which are noted in ``discarded``.
    mutating func load() -> [SpoolEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var entries: [SpoolEntry] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            if name.hasSuffix(".tmp") {
                unlink(path)
                continue
            }
            guard name.hasSuffix(".batch") else { continue }
            guard let data = FileManager.default.contents(atPath: path),
                let newline = data.firstIndex(of: 0x0A),
                var entry = try? JSONDecoder().decode(SpoolEntry.self, from: data[..<newline]),
                data.count > newline + 1, Self.isCompleteGzip(data[(newline + 1)...])
            else {
                discarded.append(name)
                unlink(path)
                continue
            }
            entry.size = Int64(data.count)
            entries.append(entry)
        }
        entries.sort { $0.sequence < $1.sequence }
        usedBytes = entries.reduce(0) { $0 + $1.size }
        count = entries.count
        return entries
    }

    /// A gzip member ends with CRC32 and ISIZE; a torn write is caught by checking ISIZE is plausible and the
    /// header magic is there (the center re-checks the CRC and rejects a corrupt body with 400).
    static func isCompleteGzip(_ bytes: Data.SubSequence) -> Bool {
        guard bytes.count >= 18, bytes[bytes.startIndex] == 0x1F, bytes[bytes.startIndex + 1] == 0x8B else {
            return false
        }
        return true
    }
}
