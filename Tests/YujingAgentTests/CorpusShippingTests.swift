import Crypto
import Foundation
import GRDB
import Testing
import YujingParsing

/// The real logs in `../shared/corpora/` are tailed by the real agent and stored by the real center completely.
@Suite(.serialized) struct CorpusShippingTests {
    static var corpora: String {
        URL(fileURLWithPath: TestDirectory.packageRoot).deletingLastPathComponent()
            .appendingPathComponent("shared/corpora").path
    }

    /// `time|ip|method|path|status|bytes` of every line, parsed locally.
    static func expectedRows(_ file: String) throws -> [String] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let parser = AccessLogParser()
        var rows: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let event = try parser.parse(String(line))
            rows.append("\(event.timeMillis)|\(event.clientIP)|\(event.method)|\(event.path)|\(event.status)|\(event.bytes)")
        }
        return rows
    }

    static func digest(_ rows: [String]) -> String {
        SHA256.hash(data: Array(rows.sorted().joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test(.timeLimit(.minutes(3)))
    func realCorporaAreShippedCompletely() async throws {
        let binary = try YujingBinary.locate()
        let elastic = (Self.corpora as NSString).appendingPathComponent("elastic-examples-apache_logs.log")
        let hackers = (Self.corpora as NSString).appendingPathComponent("logparser-hackers-access.log")
        try #require(FileManager.default.isReadableFile(atPath: elastic), "corpus missing: \(elastic)")
        try #require(FileManager.default.isReadableFile(atPath: hackers), "corpus missing: \(hackers)")
        let directory = try TestDirectory()
        defer { directory.remove() }
        let center = try TestCenter(directory: directory, binary: binary)
        let token = try center.createAgentToken(name: "corpus")
        try await center.start()
        defer { center.stop() }
        let config = try AgentConfigFile.write(
            in: directory, center: center, token: token, name: "corpus",
            logs: [("elastic", [elastic], "beginning"), ("hackers", [hackers], "beginning")])
        let agent = ManagedProcess(
            binary: binary, arguments: ["agent", "--config", config], directory: directory.path,
            logPath: directory.file("agent.log"))
        try agent.start()
        let expectedElastic = try Self.expectedRows(elastic)
        let expectedHackers = try Self.expectedRows(hackers)
        #expect(expectedElastic.count == 10_000)
        #expect(expectedHackers.count == 3_456)
        let total = expectedElastic.count + expectedHackers.count
        var stored = 0
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            stored = try center.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM access_event") ?? 0 }
            if stored >= total { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await Task.sleep(for: .seconds(1.5))
        #expect(agent.terminate() == 0)
        let rows = try center.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT time_ms, ip, method, path, status, bytes FROM access_event").map {
                row -> (Int64, String) in
                let time: Int64 = row["time_ms"]
                let ip: String = row["ip"]
                let method: String = row["method"]
                let path: String = row["path"]
                let status: Int = row["status"]
                let bytes: Int64 = row["bytes"]
                return (time, "\(time)|\(ip)|\(method)|\(path)|\(status)|\(bytes)")
            }
        }
        // The two logs cover different months of 2015: split on event time.
        let split: Int64 = 1_440_000_000_000
        let storedElastic = rows.filter { $0.0 < split }.map(\.1)
        let storedHackers = rows.filter { $0.0 >= split }.map(\.1)
        #expect(storedElastic.count == 10_000)
        #expect(storedHackers.count == 3_456)
        #expect(Self.digest(storedElastic) == Self.digest(expectedElastic))
        #expect(Self.digest(storedHackers) == Self.digest(expectedHackers))
        let heartbeats = try center.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM heartbeat WHERE agent = 'corpus'") ?? 0
        }
        #expect(heartbeats >= 1)
    }
}
