import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the agent's resident code to what it runs. `yujing` is one binary for the center, the console, the scanner
/// and the agent (about 125 MB in a release build); by default the kernel maps code in around every page touched
/// (fault-around and readahead), so an agent that runs a small part of it showed about 40 MB of resident code.
/// This drops the code pages touched during start-up (they are clean copies of the files; the kernel maps them
/// back from the page cache when needed) and tells the kernel that code is read at random, so from then on only the
/// pages the agent executes become resident. Data pages are never touched.
public enum CodeResidency {
    /// Applies the advice to every executable, file-backed mapping of this process.
    /// - Returns: Bytes of code mappings advised (0 where `/proc/self/maps` is not available).
    @discardableResult
    public static func keepOnlyCodeInUse() -> Int {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return 0 }
        var advised = 0
        for line in maps.split(separator: "\n") {
            // address perms offset dev inode path
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "r-xp", fields[5].hasPrefix("/") else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
                end > start, let address = UnsafeMutableRawPointer(bitPattern: start)
            else { continue }
            let length = Int(end - start)
            // Private, read-only, executable file mappings hold no private data: dropping their pages is safe.
            guard madvise(address, length, MADV_RANDOM) == 0 else { continue }
            _ = madvise(address, length, MADV_DONTNEED)
            advised += length
        }
        return advised
    }
}
