import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Dataset files dropped into a watched folder reach the center as findings (masked values and keyed hashes
/// only); unchanged content is not rescanned; a corrupt file yields an error event, not a crash.
@Suite(.serialized) struct DatasetReleaseTests {
    /// An 18-character resident ID with a valid ISO 7064 MOD 11-2 check character.
    static func residentID(area: String, birth: String, serial: String) -> String {
        let body = area + birth + serial
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        let check = Array("10X98765432")[sum % 11]
        return body + String(check)
    }

    struct Row: Equatable {
        var file: String
        var kind: String
        var count: Int
        var masked: String
        var hashes: String
    }

    func rows(_ center: TestCenter) throws -> [Row] {
        try center.read { db in
            try GRDB.Row.fetchAll(
                db, sql: "SELECT file, kind, count, masked_samples, keyed_hashes FROM finding ORDER BY id"
            ).map { Row(file: $0["file"], kind: $0["kind"], count: $0["count"], masked: $0["masked_samples"], hashes: $0["keyed_hashes"]) }
        }
    }

    func waitFor(_ center: TestCenter, seconds: Double, _ condition: ([Row]) -> Bool) async throws -> [Row] {
        let deadline = Date().addingTimeInterval(seconds)
        var current: [Row] = []
        while Date() < deadline {
            current = try rows(center)
            if condition(current) { return current }
            try await Task.sleep(for: .milliseconds(100))
        }
        return current
    }

    @Test(.timeLimit(.minutes(3)))
    func findingsArriveWithinSecondsUnchangedFilesAreNotRescannedCorruptFilesYieldErrors() async throws {
        let binary = try YujingBinary.locate()
        let directory = try TestDirectory()
        defer { directory.remove() }
        let center = try TestCenter(directory: directory, binary: binary)
        let token = try center.createAgentToken(name: "release")
        try await center.start()
        defer { center.stop() }
        try directory.makeDirectory("releases/ds-people")
        let config = try AgentConfigFile.write(
            in: directory, center: center, token: token, name: "release",
            datasets: [directory.file("releases/{dataset}/*")])
        let agent = ManagedProcess(
            binary: binary, arguments: ["agent", "--config", config], directory: directory.path,
            logPath: directory.file("agent.log"))
        try agent.start()
        defer { agent.terminate() }

        let ids = [
            Self.residentID(area: "110101", birth: "19900307", serial: "123"),
            Self.residentID(area: "310104", birth: "19851122", serial: "456"),
            Self.residentID(area: "440305", birth: "20010215", serial: "078"),
        ]
        let mobile = "13912345678"
        var csv = "姓名,身份证号,手机\n"
        for (index, id) in ids.enumerated() { csv += "人员\(index),\(id),\(index == 0 ? mobile : "")\n" }
        let dropped = Date()
        try directory.write("releases/ds-people/people.csv", csv)
        let found = try await waitFor(center, seconds: 15) { rows in
            rows.contains { $0.kind == "scan_complete" }
        }
        let latency = Date().timeIntervalSince(dropped)
        #expect(latency < 10, "findings took \(latency) s")
        let idRow = try #require(found.first { $0.kind == "cn_resident_id" })
        #expect(idRow.count == 3)
        #expect(idRow.masked.contains("110***********"))
        #expect(found.contains { $0.kind == "cn_mobile" && $0.count == 1 })
        let summary = try #require(found.first { $0.kind == "scan_complete" })
        #expect(summary.hashes.contains("sha256:"))
        #expect(summary.count == 4)
        for row in found {
            for id in ids { #expect(!"\(row)".contains(id), "a clear identifier reached the center") }
            #expect(!"\(row)".contains(mobile))
        }

        // Touching the file (same content) or restarting the agent does not rescan it.
        let before = try rows(center).count
        #expect(utimes(directory.file("releases/ds-people/people.csv"), nil) == 0)
        try await Task.sleep(for: .seconds(2))
        #expect(agent.terminate() == 0)
        try agent.start()
        try await Task.sleep(for: .seconds(2))
        #expect(try rows(center).count == before)
        #expect(agent.logText().components(separatedBy: "dataset file scanned").count - 1 == 1)

        // A corrupt workbook yields an error event; a clean file a clean-scan event; the agent keeps running.
        try directory.write("releases/ds-people/broken.xlsx", "PK\u{03}\u{04}" + String(repeating: "garbage", count: 100))
        try directory.write("releases/ds-people/clean.csv", "名称,地址\n图书馆,人民路1号\n")
        let later = try await waitFor(center, seconds: 15) { rows in
            rows.contains { $0.kind == "scan_error" } && rows.contains { $0.kind == "scan_clean" }
        }
        let error = try #require(later.first { $0.kind == "scan_error" })
        #expect(error.file.hasSuffix("broken.xlsx"))
        #expect(error.masked != "[]")
        #expect(later.first { $0.kind == "scan_clean" }?.file.hasSuffix("clean.csv") == true)
        #expect(agent.isRunning)
    }
}
