import Foundation

/// Expands command-line paths into the regular files to scan: folders recursively (directory symlinks
/// are not followed, so loops cannot occur), in a stable sorted order.
enum FileCollector {
    struct File {
        var path: String
        var size: Int64
    }

    /// Collects files.
    /// - Parameters:
    ///   - paths: Files and folders.
    ///   - onError: Called for each path that cannot be read.
    /// - Returns: The files, sorted within each folder.
    static func collect(_ paths: [String], onError: (String, String) -> Void) -> [File] {
        var files: [File] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                onError(path, "no such file or directory")
                continue
            }
            guard isDirectory.boolValue else {
                files.append(File(path: path, size: size(of: path)))
                continue
            }
            guard let enumerator = manager.enumerator(atPath: path) else {
                onError(path, "cannot list folder")
                continue
            }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let full = (path as NSString).appendingPathComponent(relative)
                guard let attributes = try? manager.attributesOfItem(atPath: full),
                    let type = attributes[.type] as? FileAttributeType
                else {
                    onError(full, "cannot read attributes")
                    continue
                }
                if type == .typeRegular {
                    found.append(full)
                } else if type == .typeSymbolicLink {
                    var target: ObjCBool = false
                    if manager.fileExists(atPath: full, isDirectory: &target), !target.boolValue { found.append(full) }
                }
            }
            for file in found.sorted() { files.append(File(path: file, size: size(of: file))) }
        }
        return files
    }

    static func size(of path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
