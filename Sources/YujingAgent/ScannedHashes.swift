import Foundation

/// Content hashes of dataset files already scanned (per dataset), kept in `<checkpoint_dir>/scanned.json` so a
/// restart does not rescan unchanged files.
struct ScannedHashes {
    let path: String
    private(set) var keys: Set<String>

    init(directory: String) {
        path = (directory as NSString).appendingPathComponent("scanned.json")
        if let data = FileManager.default.contents(atPath: path),
            let list = try? JSONDecoder().decode([String].self, from: data)
        {
            keys = Set(list)
        } else {
            keys = []
        }
    }

    static func key(dataset: String, sha256: String) -> String { "\(dataset):\(sha256)" }

    func contains(_ key: String) -> Bool { keys.contains(key) }

    mutating func insert(_ key: String) throws(AgentError) {
        keys.insert(key)
        guard let data = try? JSONEncoder().encode(keys.sorted()) else { throw .encoding("scanned hashes") }
        try FileIO.writeAtomically([UInt8](data), to: path, durable: true)
    }
}
