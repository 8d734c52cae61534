import Foundation
import Testing

@testable import YujingAgent

/// `batch.max_in_flight`: several batches on the wire, answers taken in queue order.
@Suite struct ShipperPipeliningTests {
    /// Access-log batch `index` ends at offset `(index + 1) * 100` of one file.
    static func position(after index: Int) -> FilePosition {
        FilePosition(
            key: "k", identity: FileIdentity(device: 1, inode: 1), fingerprint: FileFingerprint(length: 0, hash: ""),
            path: "/x", offset: UInt64(index + 1) * 100)
    }

    /// A box the center's script writes from its connection threads.
    final class Observations: @unchecked Sendable {
        private let lock = NSLock()
        private var checkpoints: [UInt64?] = []
        private var attempts = 0

        /// Counts an attempt; the first is 1.
        func attempt() -> Int { lock.withLock { attempts += 1; return attempts } }
        func record(_ offset: UInt64?) { lock.withLock { checkpoints.append(offset) } }
        var recorded: [UInt64?] { lock.withLock { checkpoints } }
    }

    @Test(.timeLimit(.minutes(1)))
    func aFailedHeadHoldsTheCheckpointAndResendsTheBatchesSentAfterIt() async throws {
        let fixture = try ShipperFixture(name: "pipelining") {
            $0.batchMaxInFlight = 3
            $0.retryMaxMillis = 20
        }
        defer { fixture.remove() }
        let (configuration, center) = (fixture.configuration, fixture.center)
        // Incompressible bodies of different sizes: the center tells the six batches apart by Content-Length.
        let bodies = try (0..<6).map { try EventEncoder.gzip((0..<(1_000 + $0 * 50)).map { _ in UInt8.random(in: 0...255) }) }
        let batchOfLength = Dictionary(uniqueKeysWithValues: bodies.enumerated().map { ($1.count, $0) })
        let firstLength = bodies[0].count
        let checkpointDirectory = configuration.checkpointDirectory
        let observations = Observations()
        // Batch 0's first attempt is answered 503 after a second, once the batches sent after it were accepted;
        // when it comes again, the checkpoint on disk is noted.
        center.scriptIngest { request, _ in
            guard request.bodyLength == firstLength else { return .init(status: 200) }
            if observations.attempt() == 1 { return .init(status: 503, delayMillis: 1_000) }
            observations.record((try? Checkpoint.load(from: checkpointDirectory))?.files["k"]?.offset)
            return .init(status: 200)
        }
        let (metrics, shipper) = (fixture.metrics, fixture.shipper)
        for (index, body) in bodies.enumerated() {
            try await shipper.enqueue(
                batchID: "b\(index)", body: body, position: Self.position(after: index), events: 10)
        }
        let saved = try await fixture.whileShipping { () async throws -> UInt64? in
            try await fixture.wait(seconds: 20) { fixture.savedOffset == 600 }
            return fixture.savedOffset
        }
        #expect(saved == 600, "every batch is acknowledged in the end")
        #expect(metrics.value(.batchesAcknowledged) == 6)
        #expect(metrics.value(.eventsAcknowledged) == 60)
        #expect(metrics.value(.sendFailures) == 1)
        let events = center.ingestEvents
        // Batches 1 and 2 were on the wire, and answered, while batch 0 waited for its answer.
        let firstAnswerOfZero = try #require(events.firstIndex { if case .answered(firstLength, 503) = $0 { true } else { false } })
        let before = events[..<firstAnswerOfZero]
        for length in [bodies[1].count, bodies[2].count] {
            #expect(before.contains(.arrived(bodyLength: length)))
            #expect(before.contains(.answered(bodyLength: length, status: 200)))
        }
        // Those acceptances did not move the checkpoint past the failed batch: nothing was saved when batch 0 came
        // again.
        #expect(observations.recorded == [nil])
        // Batch 0 was sent twice; 1 and 2 again after it (their first answers were dropped); 3 to 5 once.
        let arrivals = events.compactMap { event -> Int? in
            if case .arrived(let length) = event { return batchOfLength[length] }
            return nil
        }
        #expect(arrivals.filter { $0 == 0 }.count == 2)
        #expect(arrivals.filter { $0 == 1 }.count == 2)
        #expect(arrivals.filter { $0 == 2 }.count == 2)
        #expect(arrivals.filter { $0 >= 3 }.sorted() == [3, 4, 5])
        // After the failure one batch, the head, probes the center; nothing else is sent until it is answered, then
        // the rest follow.
        let afterFailure = events[(firstAnswerOfZero + 1)...]
        let arrivalsAfter = afterFailure.compactMap { event -> Int? in
            if case .arrived(let length) = event { return batchOfLength[length] }
            return nil
        }
        #expect(arrivalsAfter.first == 0)
        let probeAnswered = try #require(afterFailure.firstIndex(of: .answered(bodyLength: firstLength, status: 200)))
        let sentDuringProbe = afterFailure[..<probeAnswered].filter { if case .arrived = $0 { true } else { false } }
        #expect(sentDuringProbe.count == 1)
        #expect(Set(arrivalsAfter) == Set(0..<6))
        // Spool files of acknowledged batches are removed.
        let left = try FileManager.default.contentsOfDirectory(atPath: configuration.spoolDirectory)
        #expect(left.filter { $0.hasSuffix(".batch") }.isEmpty)
    }
}
