import Crypto
import Foundation
import GRDB
import Testing

/// The issue's evidence: a writer appends at a high rate while rotating by rename and by copytruncate; the
/// real agent is SIGKILLed at random moments (at least 20 times) and restarted; the real center is stopped
/// for a minute mid-stream and restarted. Afterwards the center holds every written line exactly once.
@Suite(.serialized) struct EvidenceTests {
    @Test(.timeLimit(.minutes(5)))
    func everyLineArrivesExactlyOnceThroughKillsRotationsAndAnOutage() async throws {
        let binary = try YujingBinary.locate()
        let directory = try TestDirectory()
        let center = try TestCenter(directory: directory, binary: binary)
        let token = try center.createAgentToken(name: "evidence")
        try await center.start()
        let logs = try directory.makeDirectory("logs")
        let config = try AgentConfigFile.write(
            in: directory, center: center, token: token, name: "evidence",
            logs: [("renamed", [logs + "/a.log*"], "beginning"), ("copytruncated", [logs + "/b.log*"], "beginning")])
        let agent = ManagedProcess(
            binary: binary, arguments: ["agent", "--config", config], directory: directory.path,
            logPath: directory.file("agent.log"))
        let writer = LogWriter(directory: logs, linesPerSecondPerFile: 500, rotateEvery: 3_000)
        writer.start()
        try agent.start()

        let started = Date()
        var kills = 0
        var outageStart: Date?
        var outageEnd: Date?
        while Date().timeIntervalSince(started) < 85 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...2_500)))
            agent.kill9()
            kills += 1
            try agent.start()
            let elapsed = Date().timeIntervalSince(started)
            if outageStart == nil && elapsed > 12 {
                center.stop()
                outageStart = Date()
            }
            if let down = outageStart, outageEnd == nil, Date().timeIntervalSince(down) >= 60 {
                try await center.start()
                outageEnd = Date()
            }
        }
        let expected = writer.stop()
        if outageEnd == nil {
            try await center.start()
            outageEnd = Date()
        }
        #expect(kills >= 20)
        #expect(writer.renames >= 5 && writer.copytruncates >= 5)
        let outage = try #require(outageEnd).timeIntervalSince(try #require(outageStart))
        #expect(outage >= 55)

        // Wait for the agent to deliver the rest.
        var stored = 0
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            stored = try center.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM access_event WHERE agent = 'evidence'") ?? 0
            }
            if stored >= expected.count { break }
            try await Task.sleep(for: .seconds(1))
        }
        try await Task.sleep(for: .seconds(1))
        #expect(agent.terminate() == 0)
        let paths = try center.read { db in
            try String.fetchAll(db, sql: "SELECT path FROM access_event WHERE agent = 'evidence'")
        }
        center.stop()
        #expect(paths.count == expected.count)
        #expect(Set(paths).count == paths.count, "duplicates stored")
        #expect(Set(paths) == Set(expected), "missing or foreign lines")
        #expect(Self.digest(paths) == Self.digest(expected))
        let log = agent.logText()
        #expect(log.contains("center unreachable"))
        let rotationLines = log.split(separator: "\n").filter { $0.contains("truncat") || $0.contains("copy") }
        #expect(log.contains("copytruncate") || log.contains("copy of a truncated file"), "\(rotationLines.prefix(10))")
        if paths.count == expected.count && Set(paths) == Set(expected) {
            directory.remove()
        } else {
            Issue.record("kept \(directory.path) for inspection (\(kills) kills, \(expected.count) lines)")
        }
    }

    static func digest(_ paths: [String]) -> String {
        let text = paths.sorted().joined(separator: "\n")
        return SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
