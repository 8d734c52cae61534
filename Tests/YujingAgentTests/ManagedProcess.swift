import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A long-running `yujing` subprocess (center or agent) whose output is appended to a log file.
final class ManagedProcess {
    let binary: String
    let arguments: [String]
    let directory: String
    let logPath: String
    private(set) var process: Process?

    init(binary: String, arguments: [String], directory: String, logPath: String) {
        self.binary = binary
        self.arguments = arguments
        self.directory = directory
        self.logPath = logPath
    }

    func start() throws {
        if !FileManager.default.fileExists(atPath: logPath) {
            FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try log.seekToEnd()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try log.close()
        self.process = process
    }

    var isRunning: Bool { process?.isRunning ?? false }

    /// SIGKILL, then wait.
    func kill9() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then wait up to `timeout` seconds (SIGKILL after); returns the exit status.
    @discardableResult
    func terminate(timeout: Double = 20) -> Int32? {
        guard let process else { return nil }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func logText() -> String {
        (FileManager.default.contents(atPath: logPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
