import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a configured command (argv, no shell) with a timeout, capturing its output in a temporary file.
struct CommandRunner: Sendable {
    /// Exit status and the output (stdout then stderr).
    struct Result: Sendable, Equatable {
        var status: Int32
        var output: String
        var succeeded: Bool { status == 0 }
    }

    let timeoutMillis: Int

    /// Runs `argv`; a command that cannot start or outlives the timeout yields status -1 with the reason.
    func run(_ argv: [String]) async -> Result {
        guard let name = argv.first else { return Result(status: -1, output: "empty command") }
        guard let executable = Self.resolve(name) else {
            return Result(status: -1, output: "\(name): command not found")
        }
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("yujing-command-\(UUID().uuidString).out").path
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
            FileManager.default.createFile(atPath: outputPath + ".err", contents: nil)
        else {
            return Result(status: -1, output: "cannot create \(outputPath)")
        }
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: outputPath + ".err")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        process.standardInput = FileHandle.nullDevice
        do {
            let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
            let err = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath + ".err"))
            process.standardOutput = out
            process.standardError = err
            defer {
                try? out.close()
                try? err.close()
            }
            try process.run()
        } catch {
            return Result(status: -1, output: "\(name): cannot start: \(error)")
        }
        let deadline = ContinuousClock.now + .milliseconds(timeoutMillis)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        var timedOut = false
        if process.isRunning {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let stdout = FileManager.default.contents(atPath: outputPath) ?? Data()
        let stderr = FileManager.default.contents(atPath: outputPath + ".err") ?? Data()
        var output = String(decoding: stdout + stderr, as: UTF8.self)
        if timedOut { output += "\(name): killed after \(timeoutMillis) ms" }
        return Result(status: timedOut ? -1 : process.terminationStatus, output: output)
    }

    /// The executable for a command name: a path as given, else the first match on `PATH`, then the sbin folders
    /// (nginx lives in /usr/sbin, often missing from a service's PATH).
    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/sbin", "/sbin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The first `lines` non-empty lines of a command's output.
    static func firstLines(_ text: String, _ lines: Int = 5) -> String {
        text.split(whereSeparator: \.isNewline).prefix(lines).joined(separator: "\n")
    }
}
