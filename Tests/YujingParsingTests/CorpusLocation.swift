import Foundation

/// Locates `../shared/corpora/` relative to the package root.
enum CorpusLocation {
    static func url(_ name: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath)
            .deletingLastPathComponent()  // YujingParsingTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .deletingLastPathComponent()
            .appendingPathComponent("shared/corpora/\(name)")
    }
}
