import Foundation
import YujingCore
import YujingRules

/// Event builders and rule helpers shared by the rule tests.
enum Fixtures {
    /// 2026-01-01T00:00:00Z.
    static let t0: Int64 = 1_767_225_600_000

    static func access(
        _ seconds: Double, subject: String? = "AKTEST0000000001", kind: Subject.Kind = .appKey, ip: String = "10.0.0.1",
        dataset: String? = "d1", channel: AccessChannel? = .download, status: Int = 200, bytes: Int64 = 100,
        userAgent: String = "python-requests/2.31", path: String = "/datasets/d1/download", query: String? = nil
    ) -> EngineEvent {
        .access(
            AccessEvent(
                timeMillis: t0 + Int64(seconds * 1000), node: "web-1", clientIP: ip,
                subject: subject.map { Subject(kind: kind, id: $0) }, method: "GET", path: path, query: query,
                dataset: dataset, channel: channel, status: status, bytes: bytes, userAgent: userAgent))
    }

    static func finding(_ seconds: Double, dataset: String = "d1", kind: String = "cn_resident_id", count: Int)
        -> EngineEvent
    {
        .finding(
            FindingEvent(
                timeMillis: t0 + Int64(seconds * 1000), agent: "agent-1", dataset: dataset, file: "data.csv",
                kind: kind, count: count, maskedSamples: ["110***********002X"]))
    }

    static func heartbeat(_ seconds: Double, agent: String = "agent-1") -> EngineEvent {
        .heartbeat(HeartbeatEvent(timeMillis: t0 + Int64(seconds * 1000), agent: agent))
    }

    static func engine(
        _ yaml: String, lateness: Int64 = 60_000, maxKeys: Int = 100_000, oracle: (any ScopeOracle)? = nil
    ) throws -> CorrelationEngine {
        let rules = try RuleLoader.load(files: [(name: "test.yaml", text: yaml)])
        return CorrelationEngine(
            rules: rules,
            configuration: EngineConfiguration(allowedLatenessMillis: lateness, maxKeysPerRule: maxKeys),
            scopeOracle: oracle)
    }

    static func run(_ engine: CorrelationEngine, _ events: [EngineEvent], finish: Bool = false) -> [WarningSignal] {
        var signals: [WarningSignal] = []
        for event in events { engine.process(event, into: &signals) }
        if finish { engine.finish(into: &signals) }
        return signals
    }

    static let packDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Alerts")
}
