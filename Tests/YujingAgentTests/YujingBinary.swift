import Foundation
import Testing

/// Locates the real `yujing` executable: `$YUJING_BIN` when set (the only candidate then), else
/// `<package root>/.build/debug/yujing`. A missing binary fails the test, never skips it.
enum YujingBinary {
    static func locate(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let candidate: String
        if let explicit = ProcessInfo.processInfo.environment["YUJING_BIN"], !explicit.isEmpty {
            candidate = explicit
        } else {
            candidate = (TestDirectory.packageRoot as NSString).appendingPathComponent(".build/debug/yujing")
        }
        try #require(
            FileManager.default.isExecutableFile(atPath: candidate),
            "yujing executable not found at \(candidate): run `swift build` or set YUJING_BIN",
            sourceLocation: sourceLocation)
        return candidate
    }

    /// Runs `yujing` to completion and returns its status and standard output.
    static func run(_ binary: String, _ arguments: [String], in directory: String, environment: [String: String]? = nil)
        throws -> (Int32, String, String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)
        )
    }
}
