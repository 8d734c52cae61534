import Foundation
import YujingStore

/// A real SQLite file in a fresh temporary directory.
struct TemporaryDatabase {
    let directory: URL
    let path: String
    let database: YujingDatabase

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("yujing.sqlite").path
        database = try YujingDatabase.open(path: path)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
