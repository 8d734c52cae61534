import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import YujingActions
import YujingServer
import YujingStore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What the test webhook receiver got.
final class Received: Sendable {
    let requests = Mutex<[(body: Data, signature: String?)]>([])
}

@Suite struct NotificationTests {
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        try #require(bound == 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func get(_ url: String) async -> (Int, Data) {
        guard let url = URL(string: url) else { return (0, Data()) }
        do {
            let (data, response) = try await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 2))
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        } catch {
            return (0, Data())
        }
    }

    @Test func alertsReachARealAlertmanager() async throws {
        let binary = "/usr/bin/prometheus-alertmanager"
        try #require(
            FileManager.default.isExecutableFile(atPath: binary),
            "prometheus-alertmanager is missing: run scripts/install-deps.sh --test (apt-get install prometheus-alertmanager)"
        )
        var configured = try TestDaemon()
        defer { configured.remove() }
        let port = try Self.freePort()
        let config = configured.directory.appendingPathComponent("alertmanager.yml")
        try """
        route:
          receiver: blackhole
        receivers:
          - name: blackhole
        """.write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(config.path)", "--storage.path=\(configured.directory.appendingPathComponent("am").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var ready = false
        for _ in 0..<100 where !ready {
            ready = await Self.get("http://127.0.0.1:\(port)/-/ready").0 == 200
            if !ready { try await Task.sleep(for: .milliseconds(200)) }
        }
        try #require(ready, "alertmanager did not become ready on port \(port)")
        configured.configuration.alertmanager = "http://127.0.0.1:\(port)"
        let daemon = configured
        try await daemon.run { client, _ in
            try await client.execute(
                uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                body: try Batches.batch("am", [Batches.finding(dataset: "ds-census", count: 2)])
            ) { #expect($0.status == .ok) }
            var found: [String: Any]?
            for _ in 0..<50 where found == nil {
                let (_, data) = await Self.get("http://127.0.0.1:\(port)/api/v2/alerts")
                let alerts = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
                found = alerts.first { ($0["labels"] as? [String: String])?["alertname"] == "leak.resident-id" }
                if found == nil { try await Task.sleep(for: .milliseconds(200)) }
            }
            let alert = try #require(found, "alert never reached Alertmanager")
            let labels = try #require(alert["labels"] as? [String: String])
            #expect(labels["level"] == "II")
            #expect(labels["rule"] == "leak.resident-id")
            #expect(labels["dataset"] == "ds-census")
            #expect((alert["generatorURL"] as? String)?.contains("/api/v1/warnings/") == true)
        }
    }

    @Test func webhookGetsASignedPayloadAndADeadReceiverDoesNotBlockIngest() async throws {
        let received = Received()
        let signatureHeader = try #require(HTTPField.Name("X-Yujing-Signature"))
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            received.requests.withLock {
                $0.append((Data(body.readableBytesView), request.headers[signatureHeader]))
            }
            return .ok
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { hookClient in
            var configured = try TestDaemon()
            defer { configured.remove() }
            let port = try #require(hookClient.port)
            let deadPort = try Self.freePort()
            configured.configuration.webhooks = [
                .init(name: "soc", url: "http://127.0.0.1:\(port)/hook", secret: "s3cret"),
                .init(name: "dead", url: "http://127.0.0.1:\(deadPort)/hook", secret: "x"),
            ]
            configured.configuration.notificationQueue = 2
            configured.configuration.notificationAttempts = 5
            let daemon = configured
            try await daemon.run { client, running in
                let clock = ContinuousClock()
                let started = clock.now
                for index in 0..<10 {
                    try await client.execute(
                        uri: "/api/v1/ingest", method: .post, headers: daemon.headers(.agent),
                        body: try Batches.batch("w\(index)", [Batches.finding(dataset: "ds-\(index)", count: 1)])
                    ) { #expect($0.status == .ok) }
                }
                // A blocked ingest would wait for the dead receiver's retries (seconds per batch, 10 batches): 20 s is a
                // bound that holds on a loaded 2-core machine and still fails if receivers hold up ingest.
                #expect(clock.now - started < .seconds(20), "ingest was held up by receivers")
                var requests: [(body: Data, signature: String?)] = []
                for _ in 0..<50 where requests.isEmpty {
                    requests = received.requests.withLock { $0 }
                    if requests.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
                }
                let first = try #require(requests.first, "webhook received nothing")
                let signature = try #require(first.signature)
                let mac = HMAC<SHA256>.authenticationCode(
                    for: first.body, using: SymmetricKey(data: Array("s3cret".utf8)))
                #expect(signature == "sha256=" + Array(mac).map { String(format: "%02x", $0) }.joined())
                #expect(signature == WebhookSink.signature(body: first.body, secret: "s3cret"))
                let payload = try #require(try JSONSerialization.jsonObject(with: first.body) as? [String: Any])
                #expect(payload["status"] as? String == "firing")
                #expect(payload["receiver"] as? String == "soc")
                let alerts = try #require(payload["alerts"] as? [[String: Any]])
                #expect((alerts.first?["labels"] as? [String: String])?["rule"] == "leak.resident-id")
                // The dead receiver's queue (capacity 2) overflowed while it refused connections.
                let dead = running.dispatcher.deliveryStats["dead"]
                #expect((dead?.droppedQueueFull ?? 0) > 0)
                #expect(dead?.delivered == 0)
            }
        }
    }
}
