import Foundation

/// A temporary directory owned by one test (`<tmp>/yujing-agent-<UUID>`).
struct TestDirectory: Sendable {
    /// The directory path.
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-agent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `relative` inside the directory.
    func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    /// Creates a sub-directory and returns its path.
    @discardableResult
    func makeDirectory(_ relative: String) throws -> String {
        let full = file(relative)
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }

    /// Writes text to `relative` (parents created) and returns the path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = file(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The package root, from this file's location (`Tests/YujingAgentTests/TestDirectory.swift`).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }
}
