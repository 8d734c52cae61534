import Foundation

/// The acknowledged state, written atomically (temp file, fsync, rename, directory fsync) to
/// `<checkpoint_dir>/checkpoint.json`: per file key the position after the last acknowledged line.
public struct Checkpoint: Sendable, Codable, Equatable {
    /// Positions by file key.
    public var files: [String: FilePosition] = [:]
    /// Last update per key (epoch ms), for pruning files long gone.
    public var updated: [String: Int64] = [:]

    /// Creates an empty checkpoint.
    public init() {}

    /// The checkpoint file in a directory.
    /// - Parameter directory: The checkpoint directory.
    /// - Returns: The file path.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("checkpoint.json")
    }

    /// Loads the checkpoint, or nil when there is none yet (the agent's first run).
    /// - Parameter directory: The checkpoint directory.
    /// - Returns: The checkpoint or nil.
    /// - Throws: ``AgentError/io(path:reason:)`` when the file exists but cannot be read or decoded.
    public static func load(from directory: String) throws(AgentError) -> Checkpoint? {
        let path = path(in: directory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: "unreadable")
        }
        do {
            return try JSONDecoder().decode(Checkpoint.self, from: data)
        } catch {
            throw .io(path: path, reason: "not a valid checkpoint")
        }
    }

    /// Writes the checkpoint atomically and durably.
    /// - Parameter directory: The checkpoint directory.
    /// - Throws: ``AgentError/io(path:reason:)``.
    public func save(to directory: String) throws(AgentError) {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            data = try encoder.encode(self)
        } catch {
            throw .encoding("checkpoint")
        }
        try FileIO.writeAtomically([UInt8](data), to: Checkpoint.path(in: directory), durable: true)
    }

    /// Records an acknowledged position (offsets only move forward per key).
    /// - Parameters:
    ///   - position: The position after the acknowledged lines.
    ///   - nowMillis: Wall-clock time, epoch ms.
    public mutating func advance(_ position: FilePosition, nowMillis: Int64) {
        if let existing = files[position.key], existing.offset > position.offset { return }
        files[position.key] = position
        updated[position.key] = nowMillis
    }

    /// Drops the oldest entries beyond `limit` keys.
    /// - Parameter limit: Keys to keep.
    public mutating func prune(keeping limit: Int) {
        guard files.count > limit else { return }
        let oldest = updated.sorted { $0.value < $1.value }.prefix(files.count - limit)
        for (key, _) in oldest {
            files[key] = nil
            updated[key] = nil
        }
    }
}
