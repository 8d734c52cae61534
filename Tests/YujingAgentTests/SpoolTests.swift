import Foundation
import Logging
import Testing

@testable import YujingAgent

@Suite struct SpoolTests {
    func configuration(_ directory: TestDirectory, port: Int) -> AgentConfiguration {
        var configuration = AgentConfiguration(
            name: "spool-test", centerURL: "http://127.0.0.1:\(port)", token: "yj_x_y", keyFile: directory.file("key"),
            checkpointDirectory: directory.file("state"), spoolDirectory: directory.file("spool"))
        configuration.spoolMaxBytes = 65_536
        return configuration
    }

    /// A gzip member of `count` incompressible bytes (spool files must hold gzip bodies).
    func randomBody(_ count: Int) throws -> [UInt8] {
        try EventEncoder.gzip((0..<count).map { _ in UInt8.random(in: 0...255) })
    }

    @Test func aFullSpoolStopsReadingAndSurvivesARestart() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let port = try TestCenter.freePort()  // nothing listens there
        let metrics = AgentMetrics()
        let shipper = try Shipper(configuration: configuration(directory, port: port), metrics: metrics, logger: Logger(label: "t"))
        var accepted = 0
        let position = FilePosition(
            key: "k", identity: FileIdentity(device: 1, inode: 1), fingerprint: FileFingerprint(length: 0, hash: ""),
            path: "/x", offset: 0)
        // 10 KiB bodies: after seven the spool is over 64 KiB, and the eighth waits.
        for index in 0..<7 {
            var at = position
            at.offset = UInt64(index + 1) * 100
            try await shipper.enqueue(batchID: "b\(index)", body: try randomBody(10_240), position: at, events: 1)
            accepted += 1
        }
        let blocked = Task {
            try await shipper.enqueue(batchID: "b7", body: try randomBody(10_240), position: nil, events: 1)
        }
        let deadline = Date().addingTimeInterval(10)
        while metrics.value(.backpressure) == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(metrics.value(.backpressure) == 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(metrics.value(.spoolBatches) == 7, "the eighth batch must wait while the spool is full")
        blocked.cancel()
        _ = await blocked.result
        #expect(metrics.value(.spoolBytes) <= 65_536 + 11_000)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.file("spool"))
        #expect(files.filter { $0.hasSuffix(".batch") }.count >= accepted)

        // A new process finds the spooled batches and resumes reading after them.
        let again = try Shipper(configuration: configuration(directory, port: port), metrics: AgentMetrics(), logger: Logger(label: "t"))
        #expect(await again.pendingCount == 7)
        #expect(await again.resumePositions()["k"]?.offset == 700)
    }

    @Test func batchesCoveredByTheCheckpointAreDroppedAtStart() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let port = try TestCenter.freePort()
        let shipper = try Shipper(configuration: configuration(directory, port: port), metrics: AgentMetrics(), logger: Logger(label: "t"))
        let position = FilePosition(
            key: "k", identity: FileIdentity(device: 1, inode: 1), fingerprint: FileFingerprint(length: 0, hash: ""),
            path: "/x", offset: 100)
        try await shipper.enqueue(batchID: "b0", body: try randomBody(100), position: position, events: 1)
        // Acknowledged and checkpointed, but killed before the spool file was removed.
        await shipper.commit([position])
        let again = try Shipper(configuration: configuration(directory, port: port), metrics: AgentMetrics(), logger: Logger(label: "t"))
        #expect(await again.pendingCount == 0)
    }

    @Test func aCorruptSpoolFileIsCountedAndRemovedAtStartAndTheOthersStay() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let port = try TestCenter.freePort()
        let shipper = try Shipper(configuration: configuration(directory, port: port), metrics: AgentMetrics(), logger: Logger(label: "t"))
        for index in 0..<3 {
            let position = FilePosition(
                key: "k", identity: FileIdentity(device: 1, inode: 1), fingerprint: FileFingerprint(length: 0, hash: ""),
                path: "/x", offset: UInt64(index + 1) * 100)
            try await shipper.enqueue(batchID: "b\(index)", body: try randomBody(100), position: position, events: 1)
        }
        let spool = directory.file("spool")
        let files = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix(".batch") }.sorted()
        try #require(files.count == 3)
        // Something other than the agent overwrote the middle file.
        #expect(FileManager.default.createFile(atPath: spool + "/" + files[1], contents: Data("not a batch".utf8)))
        let metrics = AgentMetrics()
        let again = try Shipper(configuration: configuration(directory, port: port), metrics: metrics, logger: Logger(label: "t"))
        #expect(await again.pendingCount == 2)
        #expect(metrics.value(.batchesLost) == 1)
        let left = try FileManager.default.contentsOfDirectory(atPath: spool).sorted()
        #expect(left == [files[0], files[2]])
    }
}
