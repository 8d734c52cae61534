import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension DatasetSource {
    /// The literal directory the pattern starts from: its components before the first one holding `{dataset}`
    /// or a glob character. Quarantined files keep their path relative to it.
    var root: String {
        let parts = absolutePattern.split(separator: "/", omittingEmptySubsequences: false)
        var kept: [Substring] = []
        for part in parts {
            if part.contains("{dataset}") || part.contains(where: { "*?[\\".contains($0) }) { break }
            kept.append(part)
        }
        let joined = kept.joined(separator: "/")
        return joined.isEmpty ? "/" : joined
    }

    /// The pattern, resolved against the working directory when relative.
    var absolutePattern: String {
        if pattern.hasPrefix("/") { return pattern }
        let base = FileManager.default.currentDirectoryPath
        var relative = Substring(pattern)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        return (base.hasSuffix("/") ? base : base + "/") + relative
    }

    /// The path relative to ``root``, or nil when the path does not lie below it.
    func relativePath(of path: String) -> String? {
        let prefix = root == "/" ? "/" : root + "/"
        guard path.hasPrefix(prefix), path.count > prefix.count else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// True when `root/relative` has this pattern's shape and names `dataset`.
    func attributes(relative: String, to dataset: String) -> Bool {
        let full = (root == "/" ? "/" : root + "/") + relative
        return fnmatch(absoluteGlob, full, FNM_PATHNAME | FNM_PERIOD) == 0
            && absoluteSource.datasetID(for: full) == dataset
    }

    var absoluteGlob: String { absolutePattern.replacingOccurrences(of: "{dataset}", with: "*") }

    var absoluteSource: DatasetSource { DatasetSource(pattern: absolutePattern) }

    /// True when `directory` (absolute, normalized) is or contains this source's root, lies inside it, or when
    /// files inside `directory` could match the pattern.
    func overlaps(directory: String) -> Bool {
        let root = self.root
        if root == "/" || directory == root || directory.hasPrefix(root + "/") || root.hasPrefix(directory + "/") {
            return true
        }
        let patternParts = absoluteGlob.split(separator: "/", omittingEmptySubsequences: true)
        let directoryParts = directory.split(separator: "/", omittingEmptySubsequences: true)
        guard patternParts.count > directoryParts.count else { return false }
        for (part, name) in zip(patternParts, directoryParts) where fnmatch(String(part), String(name), 0) != 0 {
            return false
        }
        return true
    }
}
