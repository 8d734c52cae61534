import Foundation

/// Runs helper programs the tests need (`iconv`, `python3`) through `/usr/bin/env`.
enum ExternalTool {
    /// A helper program failed or is missing.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `arguments` (the first is the program, looked up on `PATH`) with the working directory `directory`,
    /// sending standard output and standard error to files there.
    /// - Returns: Exit status, standard output and standard error.
    static func run(_ arguments: [String], in directory: String) throws -> (status: Int32, stdout: Data, stderr: String)
    {
        let tag = UUID().uuidString
        let outPath = (directory as NSString).appendingPathComponent(".tool-out-\(tag)")
        let errPath = (directory as NSString).appendingPathComponent(".tool-err-\(tag)")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = try Data(contentsOf: URL(fileURLWithPath: outPath))
        let stderr = String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self)
        return (process.terminationStatus, stdout, stderr)
    }

    /// Runs a command that must succeed; throws with its error output otherwise.
    @discardableResult
    static func check(_ arguments: [String], in directory: String) throws -> Data {
        let result = try run(arguments, in: directory)
        guard result.status == 0 else {
            throw Failure(
                description: "`\(arguments.joined(separator: " "))` exited with \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    /// Converts UTF-8 text to GBK bytes with `iconv`.
    static func gbk(_ text: String, in directory: String) throws -> [UInt8] {
        let input = (directory as NSString).appendingPathComponent(".iconv-\(UUID().uuidString)")
        try Data(text.utf8).write(to: URL(fileURLWithPath: input))
        defer { try? FileManager.default.removeItem(atPath: input) }
        return [UInt8](try check(["iconv", "-f", "UTF-8", "-t", "GBK", input], in: directory))
    }

    /// Fails with a clear message unless `python3` can import `module`.
    static func requirePythonModule(_ module: String, pipPackage: String, in directory: String) throws {
        let result: (status: Int32, stdout: Data, stderr: String)
        do {
            result = try run(["python3", "-c", "import \(module)"], in: directory)
        } catch {
            throw Failure(description: "python3 could not be started (\(error)); install Python 3")
        }
        guard result.status == 0 else {
            throw Failure(
                description: """
                    python3 cannot import \(module) (install it with `pip install \(pipPackage)`, as .ci/run does): \
                    \(result.stderr)
                    """)
        }
    }
}
