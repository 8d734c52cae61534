import Foundation
import Testing
import YujingCore
import YujingParsing
import YujingRules

@Suite struct ShippedPackTests {
    static func pack() throws -> RuleSet {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.packDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        return try RuleLoader.load(
            files: try names.map { name in
                (
                    name: name,
                    text: try String(contentsOf: Fixtures.packDirectory.appendingPathComponent(name), encoding: .utf8)
                )
            })
    }

    static func corpus(_ name: String) -> URL {
        Fixtures.packDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/corpora/\(name)")
    }

    @Test func realLogsParseFullyAndPageNobody() throws {
        let engine = CorrelationEngine(rules: try Self.pack())
        let parser = AccessLogParser()
        var signals: [WarningSignal] = []
        var failures = 0
        var lines = 0
        for name in ["elastic-examples-apache_logs.log", "logparser-hackers-access.log"] {
            let text = String(decoding: try Data(contentsOf: Self.corpus(name)), as: UTF8.self)
            for line in text.split(separator: "\n") {
                lines += 1
                do {
                    engine.process(.access(try parser.parse(String(line))), into: &signals)
                } catch {
                    failures += 1
                }
            }
        }
        engine.finish(into: &signals)
        #expect(lines == 13_456)
        #expect(failures == 0)
        // Bot-heavy but ordinary web traffic: nothing at level II or I, and single wp-login probes stay quiet.
        #expect(signals.filter { $0.level >= .II }.isEmpty)
        #expect(signals.count <= 5)
        // Every parsed line is either evaluated or counted as late; none is lost silently.
        #expect(engine.metrics.eventsProcessed + engine.metrics.lateEvents == 13_456)
    }

    @Test func attackScenarioRaisesTheRightLevels() throws {
        let engine = CorrelationEngine(rules: try Self.pack())
        var events: [EngineEvent] = []
        // A heavy but normal user: 100 downloads every 10 minutes for two hours, from one IP.
        for i in 0..<1_200 {
            events.append(Fixtures.access(Double(i) * 6, subject: "HEAVYUSERKEY0001", dataset: "ds-\(i % 40)"))
        }
        // A scanner, a brute force, a leak and its download.
        events.append(Fixtures.access(100, subject: nil, ip: "203.0.113.5", userAgent: "sqlmap/1.8#stable"))
        for i in 0..<40 {
            events.append(Fixtures.access(200 + Double(i), subject: nil, ip: "198.51.100.7", status: 401))
        }
        events.append(Fixtures.finding(300, dataset: "ds-leak", count: 150))
        events.append(Fixtures.access(400, dataset: "ds-leak"))
        for i in 0..<6 {
            events.append(Fixtures.access(500 + Double(i), subject: nil, ip: "192.0.2.9", path: "/.env"))
        }
        events.sort { $0.timeMillis < $1.timeMillis }
        let signals = Fixtures.run(engine, events, finish: true)
        let byRule = Dictionary(grouping: signals, by: \.ruleID).mapValues { $0.map(\.level) }
        #expect(byRule["scanner.user-agent"] == [.III])
        #expect(byRule["abuse.bruteforce"] == [.III])
        #expect(byRule["leak.resident-id"] == [.I])
        #expect(byRule["leak.downloaded-after-finding"] == [.II])
        #expect(byRule["scanner.probe-paths"] == [.IV])
        #expect(!signals.contains { $0.labels["subject"] == "HEAV…0001" })
        #expect(
            Set(byRule.keys) == [
                "scanner.user-agent", "abuse.bruteforce", "leak.resident-id", "leak.downloaded-after-finding",
                "scanner.probe-paths",
            ])
    }
}
