import Foundation

/// A temporary directory owned by one test (`<tmp>/yujing-cli-<UUID>`), removed by ``remove()``.
struct ScratchDirectory: Sendable {
    /// The directory.
    let url: URL

    /// Creates a fresh, empty directory.
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `relative` inside the directory.
    func path(_ relative: String) -> String {
        url.appendingPathComponent(relative).path
    }

    /// Creates a sub-directory and returns its path.
    @discardableResult
    func makeDirectory(_ relative: String) throws -> String {
        let path = path(relative)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes bytes to `relative` (parent folders created) and returns the path.
    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let path = path(relative)
        let parent = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes UTF-8 text to `relative` and returns the path.
    @discardableResult
    func write(_ relative: String, text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    /// Every regular file below the directory, as absolute paths.
    func allFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let full = path(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }

    /// Removes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
