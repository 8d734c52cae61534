import Foundation
import Logging

@testable import YujingAgent

/// A shipper in a fresh directory that sends to a ``FakeCenter``, with fast retries (10 ms doubling up to 40 ms).
struct ShipperFixture {
    let directory: TestDirectory
    let center: FakeCenter
    let configuration: AgentConfiguration
    let metrics = AgentMetrics()
    let shipper: Shipper

    /// - Parameters:
    ///   - name: Agent name.
    ///   - configure: Changes to the configuration before the shipper opens it.
    init(name: String, configure: (inout AgentConfiguration) -> Void = { _ in }) throws {
        directory = try TestDirectory()
        center = try FakeCenter()
        var configuration = AgentConfiguration(
            name: name, centerURL: center.url, token: "yj_x_y", keyFile: directory.file("key"),
            checkpointDirectory: directory.file("state"), spoolDirectory: directory.file("spool"))
        configuration.retryInitialMillis = 10
        configuration.retryMaxMillis = 40
        configure(&configuration)
        self.configuration = configuration
        shipper = try Shipper(configuration: configuration, metrics: metrics, logger: Logger(label: "test"))
    }

    /// The saved checkpoint's offset of file `k` (``ShipperPipeliningTests/position(after:)``).
    var savedOffset: UInt64? { (try? Checkpoint.load(from: configuration.checkpointDirectory))?.files["k"]?.offset }

    /// Body lengths the center answered 200.
    var accepted: [Int] {
        center.ingestEvents.compactMap { if case .answered(let length, 200) = $0 { length } else { nil } }
    }

    /// Batch files in the spool, sorted.
    func spooledFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: configuration.spoolDirectory)
            .filter { $0.hasSuffix(".batch") }.sorted()
    }

    /// Polls until `condition` holds or `seconds` pass.
    func wait(seconds: Double = 15, until condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Runs the shipper while `body` runs, then cancels it and waits until it has stopped.
    func whileShipping<Value>(_ body: () async throws -> Value) async throws -> Value {
        let shipper = shipper
        let sending = Task { await shipper.run(drainSeconds: 0) }
        do {
            let value = try await body()
            sending.cancel()
            await sending.value
            return value
        } catch {
            sending.cancel()
            await sending.value
            throw error
        }
    }

    func remove() {
        center.stop()
        directory.remove()
    }
}
