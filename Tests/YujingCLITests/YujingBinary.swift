import Foundation
import Testing

/// Locates and runs the real `yujing` executable as a subprocess.
///
/// Lookup order: `$YUJING_BIN` (when set, nothing else is tried); the folder of the running test bundle
/// (the scratch path `swift test` built into); `<package root>/.build/debug/yujing`;
/// `<package root>/.build-e2e/debug/yujing`. A missing binary is a test failure, never a skip.
struct YujingBinary: Sendable {
    /// The executable.
    let path: String

    /// The package root, derived from this file's location (`Tests/YujingCLITests/YujingBinary.swift`).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Candidate locations, in lookup order.
    static var candidates: [String] {
        // An explicit binary is the only candidate: a wrong YUJING_BIN fails instead of testing another build.
        if let explicit = ProcessInfo.processInfo.environment["YUJING_BIN"], !explicit.isEmpty {
            return [explicit]
        }
        var paths: [String] = []
        if let executable = Bundle.main.executablePath {
            paths.append(
                URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("yujing").path)
        }
        for scratch in [".build", ".build-e2e"] {
            paths.append(packageRoot.appendingPathComponent(scratch).appendingPathComponent("debug/yujing").path)
        }
        return paths
    }

    /// Finds the binary or fails the calling test with a clear message.
    static func locate(sourceLocation: SourceLocation = #_sourceLocation) throws -> YujingBinary {
        let manager = FileManager.default
        let found = candidates.first { manager.isExecutableFile(atPath: $0) }
        let path = try #require(
            found,
            """
            The yujing executable was not found (looked in: \(candidates.joined(separator: ", "))). \
            Build it first (`swift build`) or set YUJING_BIN to its path.
            """,
            sourceLocation: sourceLocation)
        return YujingBinary(path: path)
    }

    /// Runs `yujing` with `arguments`, capturing standard output and standard error into files of
    /// `captureDirectory`, with `workingDirectory` as the current directory. `YUJING_KEY_FILE` is removed
    /// from the environment so that only `--key-file` decides the key.
    func run(_ arguments: [String], workingDirectory: String, captureDirectory: String) throws -> CLIRun {
        try FileManager.default.createDirectory(atPath: captureDirectory, withIntermediateDirectories: true)
        let tag = UUID().uuidString
        let outPath = (captureDirectory as NSString).appendingPathComponent("stdout-\(tag)")
        let errPath = (captureDirectory as NSString).appendingPathComponent("stderr-\(tag)")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        var environment = ProcessInfo.processInfo.environment
        environment["YUJING_KEY_FILE"] = nil
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = try Data(contentsOf: URL(fileURLWithPath: outPath))
        let stderr = try Data(contentsOf: URL(fileURLWithPath: errPath))
        return CLIRun(
            arguments: arguments, status: process.terminationStatus,
            terminatedBySignal: process.terminationReason == .uncaughtSignal, stdout: stdout, stderr: stderr)
    }
}
