import Foundation
import Testing
import YujingStore

/// The CLI twins (`yujing alerts`, `yujing agents`, `yujing audit verify --server`) as the real binary against the
/// live daemon. `$YUJING_BIN` names the binary (default `<package>/.build/debug/yujing`); a missing one fails.
@Suite struct ConsoleCLITests {
    static func binary(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let candidate =
            ProcessInfo.processInfo.environment["YUJING_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ConsoleTestDaemon.repositoryRoot.appendingPathComponent(".build/debug/yujing").path
        try #require(
            FileManager.default.isExecutableFile(atPath: candidate),
            "yujing executable not found at \(candidate): run `swift build` or set YUJING_BIN",
            sourceLocation: sourceLocation)
        return candidate
    }

    struct Run: Sendable {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs the binary on its own thread (the daemon under test shares this process's cooperative pool).
    static func run(_ arguments: [String], server: String, token: String) async throws -> Run {
        let path = try binary()
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: path)
                    process.arguments = arguments
                    var environment = ProcessInfo.processInfo.environment
                    environment["YUJING_SERVER"] = server
                    environment["YUJING_TOKEN"] = token
                    environment["YUJING_TOKEN_FILE"] = nil
                    process.environment = environment
                    let out = Pipe()
                    let err = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    try process.run()
                    let outData = out.fileHandleForReading.readDataToEndOfFile()
                    let errData = err.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(
                        returning: Run(
                            status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                            err: String(decoding: errData, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }

    static func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    @Test func alertsAgentsAndAuditFromTheCommandLine() async throws {
        let configured = try ConsoleTestDaemon()
        defer { configured.remove() }
        let ops = try #require(configured.tokens[.ops])
        let auditor = try #require(configured.tokens[.auditor])
        try await configured.run { _, daemon, base in
            let first = try ConsoleTestDaemon.plantWarning(daemon.database, dataset: "ds-cli", title: "Leak ds-cli")
            let second = try ConsoleTestDaemon.plantWarning(
                daemon.database, dataset: "ds-two", title: "Bulk ds-two", level: .III, rule: "scraping.bulk")

            let listed = try await Self.run(["alerts", "ls", "--level", "I", "--format", "json"], server: base, token: ops)
            #expect(listed.status == 0, "\(listed.err)")
            #expect(Self.lines(listed.out).compactMap { $0["id"] as? Int } == [Int(first)])
            let table = try await Self.run(["alerts", "ls"], server: base, token: ops)
            #expect(table.out.hasPrefix("ID"))
            #expect(table.out.contains("I 红 red") && table.out.contains("III 黄 yellow"))

            let ack = try await Self.run(["alerts", "ack", String(first), "--comment", "on it"], server: base, token: ops)
            #expect(ack.status == 0, "\(ack.err)")
            #expect(try daemon.database.warning(id: first)?.state == .acknowledged)
            let silenced = try await Self.run(
                ["alerts", "silence", String(second), "--duration", "2h", "--comment", "maintenance", "--format", "json"],
                server: base, token: ops)
            #expect(silenced.status == 0, "\(silenced.err)")
            #expect(try daemon.database.warning(id: second)?.state == .silenced)
            let expires = Self.lines(silenced.out).first?["expires_at"] as? String
            let expiry = try #require(expires.flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expiry.timeIntervalSinceNow - 7200) < 120)
            let shown = try await Self.run(["alerts", "show", String(first), "--format", "json"], server: base, token: ops)
            let history = Self.lines(shown.out).first?["history"] as? [[String: Any]] ?? []
            #expect(history.contains { $0["comment"] as? String == "on it" && $0["author"] as? String == "op-ops" })
            let resolved = try await Self.run(["alerts", "resolve", String(first)], server: base, token: ops)
            #expect(resolved.status == 0)
            #expect(try daemon.database.warning(id: first)?.state == .resolved)

            // An auditor reads but cannot act: exit 1 with the server's 403.
            let refused = try await Self.run(["alerts", "ack", String(second)], server: base, token: auditor)
            #expect(refused.status == 1)
            #expect(refused.err.contains("HTTP 403"))

            let agents = try await Self.run(["agents", "--format", "json"], server: base, token: auditor)
            #expect(agents.status == 0, "\(agents.err)")
            #expect(Self.lines(agents.out).contains { $0["name"] as? String == "op-agent" && $0["health"] as? String == "never" })
            let agentTable = try await Self.run(["agents"], server: base, token: auditor)
            #expect(agentTable.out.hasPrefix("NAME"))

            let verify = try await Self.run(["audit", "verify", "--server", base], server: base, token: auditor)
            #expect(verify.status == 0, "\(verify.err)")
            #expect(verify.out.hasPrefix("audit chain intact:"))
            let verifyJSON = try await Self.run(
                ["audit", "verify", "--server", base, "--format", "json"], server: base, token: auditor)
            #expect(Self.lines(verifyJSON.out).first?["intact"] as? Bool == true)
            let local = try await Self.run(
                ["audit", "verify", "--database", configured.configuration.database], server: base, token: auditor)
            #expect(local.status == 0)
            #expect(local.out.hasPrefix("audit chain intact:"))
        }
    }
}
