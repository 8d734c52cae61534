import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The real center (`yujing serve`) on a free loopback port, with its own SQLite file and an agent token.
final class TestCenter {
    let directory: TestDirectory
    let binary: String
    let port: Int
    let databasePath: String
    let configPath: String
    let process: ManagedProcess

    init(directory: TestDirectory, binary: String, rules ruleFolder: String? = nil, extraConfig: String = "") throws {
        self.directory = directory
        self.binary = binary
        port = try Self.freePort()
        databasePath = directory.file("center.sqlite")
        let rules = ruleFolder ?? (TestDirectory.packageRoot as NSString).appendingPathComponent("Alerts")
        configPath = try directory.write(
            "center.yaml",
            """
            database: \(databasePath)
            host: 127.0.0.1
            port: \(port)
            rules: \(rules)
            retention_days: 36500

            """ + extraConfig)
        process = ManagedProcess(
            binary: binary, arguments: ["serve", "--config", configPath, "--log-level", "warning"],
            directory: directory.path, logPath: directory.file("center.log"))
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// `yujing token create --role agent`.
    func createAgentToken(name: String) throws -> String {
        try createToken(name: name, role: "agent")
    }

    /// `yujing token create --role ROLE`.
    func createToken(name: String, role: String) throws -> String {
        let (status, out, err) = try YujingBinary.run(
            binary, ["token", "create", "--config", configPath, "--role", role, "--name", name], in: directory.path)
        guard status == 0 else { throw TestFailure("token create failed: \(err)") }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts the center and waits until `/healthz` answers.
    func start() async throws {
        try process.start()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if Self.connects(port: port) { return }
            guard process.isRunning else { throw TestFailure("center exited: \(process.logText())") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("center did not start: \(process.logText())")
    }

    func stop() {
        process.terminate()
    }

    /// Reads the center's database (WAL: concurrent readers are fine while it runs).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        return try queue.read(body)
    }

    static func connects(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw TestFailure("bind") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A failure of test machinery, with its reason.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
