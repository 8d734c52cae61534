import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin POSIX helpers: positioned reads, stat, glob, durable writes. Errors name the path and `errno` only.
enum FileIO {
    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Reads up to `count` bytes at `offset` (fewer at end of file).
    static func read(_ descriptor: Int32, at offset: UInt64, count: Int) throws(AgentError) -> [UInt8] {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        let filled = try buffer.withUnsafeMutableBufferPointer { (pointer) throws(AgentError) -> Int in
            try read(descriptor, at: offset, into: pointer)
        }
        if filled < count { buffer.removeLast(count - filled) }
        return buffer
    }

    /// Fills `buffer` from `offset`; returns the number of bytes read (fewer at end of file).
    static func read(_ descriptor: Int32, at offset: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>)
        throws(AgentError) -> Int
    {
        guard let base = buffer.baseAddress else { return 0 }
        var filled = 0
        while filled < buffer.count {
            let n = pread(descriptor, base + filled, buffer.count - filled, off_t(offset) + off_t(filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: "fd \(descriptor)", reason: errorText())
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    static func status(path: String) -> Glibc.stat? {
        var info = Glibc.stat()
        guard statPath(path, &info) == 0 else { return nil }
        return info
    }

    static func status(descriptor: Int32) -> Glibc.stat? {
        var info = Glibc.stat()
        guard Glibc.fstat(descriptor, &info) == 0 else { return nil }
        return info
    }

    static func isRegular(_ info: Glibc.stat) -> Bool { (info.st_mode & S_IFMT) == S_IFREG }

    /// Paths matching a glob, sorted.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let pointer = result.gl_pathv[index] { paths.append(String(cString: pointer)) }
        }
        return paths.sorted()
    }

    /// Writes every byte; false on error (errno set).
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return true }
            var written = 0
            while written < raw.count {
                let n = Glibc.write(descriptor, base + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return true
        }
    }

    /// Writes a file atomically: to `path.tmp`, optionally fsync'd, renamed over `path`; with `durable`, the
    /// directory is fsync'd too, so the rename survives a power cut.
    static func writeAtomically(_ data: [UInt8], to path: String, durable: Bool) throws(AgentError) {
        try writeAtomically([data], to: path, durable: durable)
    }

    /// Writes the chunks to `path.tmp`, optionally fsync'd, and renames it over `path`.
    static func writeAtomically(_ chunks: [[UInt8]], to path: String, durable: Bool) throws(AgentError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io(path: temporary, reason: errorText()) }
        for chunk in chunks where !writeAll(descriptor, chunk) {
            let reason = errorText()
            close(descriptor)
            throw .io(path: temporary, reason: reason)
        }
        if durable && fsync(descriptor) != 0 {
            let reason = errorText()
            close(descriptor)
            throw .io(path: temporary, reason: reason)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw .io(path: path, reason: errorText()) }
        if durable { syncDirectory(of: path) }
    }

    static func sync(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        sync(path: directory.isEmpty ? "/" : directory)
    }

    static func makeDirectory(_ path: String) throws(AgentError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .io(path: path, reason: "cannot create directory")
        }
    }
}

/// `stat(2)` at file scope, where the name resolves to the function rather than the struct.
private func statPath(_ path: String, _ info: UnsafeMutablePointer<stat>) -> Int32 {
    stat(path, info)
}
