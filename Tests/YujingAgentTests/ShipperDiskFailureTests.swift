import Foundation
import Testing

@testable import YujingAgent

/// A spool file that cannot be read when its batch is due: retried while the failure may pass, skipped (counted
/// and logged) only when the file is gone.
@Suite struct ShipperSpoolReadTests {
    /// Three batches of one file in the spool, of different sizes so the center tells them apart by length; the
    /// test tampers with the second before the shipper runs.
    static func setUp() async throws -> (fixture: ShipperFixture, bodies: [[UInt8]], secondFile: String) {
        let fixture = try ShipperFixture(name: "spool-read")
        let bodies = try (0..<3).map { try EventEncoder.gzip((0..<(800 + $0 * 100)).map { _ in UInt8.random(in: 0...255) }) }
        for (index, body) in bodies.enumerated() {
            try await fixture.shipper.enqueue(
                batchID: "b\(index)", body: body, position: ShipperPipeliningTests.position(after: index), events: 10)
        }
        let files = try fixture.spooledFiles()
        #expect(files.count == 3)
        return (fixture, bodies, (fixture.configuration.spoolDirectory as NSString).appendingPathComponent(files[1]))
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreadableSpoolFileIsRetriedUntilItCanBeReadAndNothingIsSkipped() async throws {
        let (setup, bodies, secondFile) = try await Self.setUp()
        defer { setup.remove() }
        // A directory where the second batch's file was: open works, reading fails (EISDIR), as with an I/O error.
        let aside = secondFile + ".aside"
        try FileManager.default.moveItem(atPath: secondFile, toPath: aside)
        try FileManager.default.createDirectory(atPath: secondFile, withIntermediateDirectories: false)
        try await setup.whileShipping {
            try await setup.wait { setup.metrics.value(.spoolReadErrors) >= 3 && setup.savedOffset == 100 }

            #expect(setup.metrics.value(.spoolReadErrors) >= 3, "the read is retried")
            #expect(setup.savedOffset == 100, "the checkpoint stops before the unreadable batch")
            #expect(setup.metrics.value(.batchesLost) == 0)
            #expect(!setup.accepted.contains(bodies[1].count))

            try FileManager.default.removeItem(atPath: secondFile)
            try FileManager.default.moveItem(atPath: aside, toPath: secondFile)
            try await setup.wait { setup.savedOffset == 300 }
        }

        #expect(setup.savedOffset == 300)
        #expect(setup.metrics.value(.batchesAcknowledged) == 3)
        #expect(setup.metrics.value(.batchesLost) == 0)
        #expect(Set(setup.accepted) == Set(bodies.map(\.count)), "every batch reached the center")
    }

    @Test(.timeLimit(.minutes(1)))
    func aMissingSpoolFileIsCountedAndTheBatchesAfterItStillGo() async throws {
        let (setup, bodies, secondFile) = try await Self.setUp()
        defer { setup.remove() }
        try FileManager.default.removeItem(atPath: secondFile)
        try await setup.whileShipping { try await setup.wait { setup.savedOffset == 300 } }

        #expect(setup.savedOffset == 300)
        #expect(setup.metrics.value(.batchesLost) == 1)
        #expect(setup.metrics.value(.batchesAcknowledged) == 2)
        #expect(setup.metrics.value(.spoolReadErrors) == 0)
        #expect(setup.accepted.sorted() == [bodies[0].count, bodies[2].count].sorted())
    }
}

/// A spool that cannot be written (disk full, read-only, gone): reading waits and the batch is written once the
/// disk takes it again.
@Suite struct ShipperSpoolWriteTests {
    @Test(.timeLimit(.minutes(1)))
    func aFailingSpoolWriteWaitsAndRetriesUntilTheDiskTakesTheBatch() async throws {
        let fixture = try ShipperFixture(name: "spool-write")
        defer { fixture.remove() }
        let (configuration, metrics, shipper, center) = (fixture.configuration, fixture.metrics, fixture.shipper, fixture.center)
        // A plain file where the spool directory was: every write fails (ENOTDIR), as on a failed disk.
        let spool = configuration.spoolDirectory
        try FileManager.default.removeItem(atPath: spool)
        #expect(FileManager.default.createFile(atPath: spool, contents: Data("x".utf8)))
        let body = try EventEncoder.gzip(Array("{}".utf8))
        let writing = Task {
            try await shipper.enqueue(
                batchID: "b0", body: body, position: ShipperPipeliningTests.position(after: 0), events: 1)
        }
        try await fixture.wait(seconds: 10) { metrics.value(.spoolWriteErrors) >= 3 }
        #expect(metrics.value(.spoolWriteErrors) >= 3, "the write is retried")
        #expect(await shipper.pendingCount == 0, "nothing is queued that is not on disk")

        try FileManager.default.removeItem(atPath: spool)
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: false)
        try await writing.value
        #expect(await shipper.pendingCount == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: spool)
        #expect(files.count == 1 && files[0].hasSuffix(".batch"), "one batch file, no temporary left: \(files)")

        try await fixture.whileShipping { try await fixture.wait(seconds: 10) { metrics.value(.batchesAcknowledged) >= 1 } }
        #expect(metrics.value(.batchesAcknowledged) == 1)
        #expect(center.ingestEvents.contains(.answered(bodyLength: body.count, status: 200)))
    }
}

/// A checkpoint that cannot be saved: sending goes on, spool files stay until a save covers them.
@Suite struct ShipperCheckpointSaveTests {
    @Test(.timeLimit(.minutes(1)))
    func aFailingCheckpointSaveKeepsTheSpoolFilesAndCatchesUpWhenTheDiskIsBack() async throws {
        let fixture = try ShipperFixture(name: "checkpoint-save") { $0.batchMaxWaitMillis = 50 }
        defer { fixture.remove() }
        let (configuration, metrics, shipper) = (fixture.configuration, fixture.metrics, fixture.shipper)
        // A plain file where the checkpoint directory was: every save fails (ENOTDIR).
        let state = configuration.checkpointDirectory
        try FileManager.default.removeItem(atPath: state)
        #expect(FileManager.default.createFile(atPath: state, contents: Data("x".utf8)))
        let saved = try await fixture.whileShipping { () async throws -> UInt64? in
            for index in 0..<2 {
                try await shipper.enqueue(
                    batchID: "b\(index)", body: try EventEncoder.gzip(Array("{\"n\":\(index)}".utf8)),
                    position: ShipperPipeliningTests.position(after: index), events: 1)
            }
            try await fixture.wait(seconds: 10) {
                metrics.value(.batchesAcknowledged) >= 2 && metrics.value(.checkpointSaveErrors) >= 2
            }
            #expect(metrics.value(.batchesAcknowledged) == 2, "sending goes on while the checkpoint cannot be saved")
            #expect(metrics.value(.checkpointSaveErrors) >= 2, "the save is retried")
            let spooled = try fixture.spooledFiles()
            #expect(spooled.count == 2, "no spool file goes before a checkpoint covers it")

            try FileManager.default.removeItem(atPath: state)
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
            try await fixture.wait(seconds: 10) { fixture.savedOffset == 200 }
            let saved = fixture.savedOffset
            try await Task.sleep(for: .milliseconds(50))
            return saved
        }
        #expect(saved == 200)
        #expect(try fixture.spooledFiles().isEmpty)
    }
}
