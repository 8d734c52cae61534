import Foundation

/// The per-installation secret used for keyed hashes of identifiers. Loaded from a file; created with
/// 32 random bytes (mode 0600) when missing, so hashes correlate across runs of one installation.
enum InstallationKey {
    /// Errors loading or creating the key file.
    enum KeyError: Error, CustomStringConvertible {
        case unreadable(String, String)
        case tooShort(String)
        case cannotCreate(String, String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): return "cannot read key file \(path): \(reason)"
            case .tooShort(let path): return "key file \(path) holds fewer than 16 bytes"
            case .cannotCreate(let path, let reason): return "cannot create key file \(path): \(reason)"
            }
        }
    }

    /// The default location: `$YUJING_KEY_FILE`, else `./var/yujing.key`.
    static var defaultPath: String {
        ProcessInfo.processInfo.environment["YUJING_KEY_FILE"] ?? "var/yujing.key"
    }

    /// Loads the key, creating it when the file does not exist.
    /// - Parameter path: The key file.
    /// - Returns: The key bytes.
    static func loadOrCreate(at path: String) throws -> [UInt8] {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            guard let data = manager.contents(atPath: path) else {
                throw KeyError.unreadable(path, "permission denied or not a file")
            }
            guard data.count >= 16 else { throw KeyError.tooShort(path) }
            return [UInt8](data)
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // (NSString.deletingLastPathComponent traps on one-character names in this Foundation.)
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        do {
            if !directory.isEmpty {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        } catch {
            throw KeyError.cannotCreate(path, error.localizedDescription)
        }
        guard manager.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600]) else {
            throw KeyError.cannotCreate(path, "write failed")
        }
        return key
    }
}
