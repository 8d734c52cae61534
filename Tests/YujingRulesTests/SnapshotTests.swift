import Foundation
import Testing
import YujingCore
import YujingRules

@Suite struct SnapshotTests {
    static let rules = """
        - id: dl
          title: Downloads
          kind: threshold
          group_by: [subject]
          window: 10m
          tiers: [{ at: 20, level: III }, { at: 40, level: II }]
        - id: ips
          title: IPs
          kind: distinct
          field: ip
          group_by: [subject]
          window: 1h
          threshold: 6
          level: III
        - id: bytes
          title: Bytes
          kind: sum
          field: bytes
          group_by: [subject]
          window: 1h
          threshold: 5000
          level: III
        - id: seq
          title: Seq
          kind: sequence
          first: { kind: finding }
          then: { kind: access }
          group_by: [dataset]
          window: 1h
          level: II
        - id: silent
          title: Silent
          kind: absence
          where: { kind: heartbeat }
          group_by: [agent]
          window: 5m
          level: III
        - id: surge
          title: Surge
          kind: baseline
          group_by: [subject]
          bucket: 10m
          warmup: 3
          minimum: 10
          level: III
        """

    func events() -> [EngineEvent] {
        var events: [EngineEvent] = [Fixtures.finding(0, dataset: "d3", count: 1)]
        for i in 0..<600 {
            let t = Double(i) * 7
            let key = "KEY-\(10_000_000_000 + Int64(i % 3))"
            events.append(Fixtures.access(t, subject: key, ip: "10.0.0.\(i % 11)", dataset: "d\(i % 5)", bytes: 40))
            if i % 20 == 0, i < 300 { events.append(Fixtures.heartbeat(t, agent: "agent-x")) }
            if i % 10 == 0 { events.append(Fixtures.heartbeat(t, agent: "agent-y")) }
        }
        return events
    }

    @Test func roundTripReproducesState() throws {
        let all = events()
        let reference = try Fixtures.engine(Self.rules)
        let expected = Fixtures.run(reference, all)
        #expect(!expected.isEmpty)

        let split = all.count / 2
        let first = try Fixtures.engine(Self.rules)
        var got = Fixtures.run(first, Array(all[..<split]))
        let data = try JSONEncoder().encode(first.snapshot())
        let decoded = try JSONDecoder().decode(EngineSnapshot.self, from: data)
        #expect(decoded == first.snapshot())

        let second = try Fixtures.engine(Self.rules)
        let restored = second.restore(decoded)
        #expect(Set(restored) == ["dl", "ips", "bytes", "seq", "silent", "surge"])
        #expect(second.stateKeyCount == first.stateKeyCount)
        got += Fixtures.run(second, Array(all[split...]))
        #expect(got == expected)
        #expect(second.snapshot().rules == reference.snapshot().rules)
        #expect(second.metrics.eventsProcessed == reference.metrics.eventsProcessed)
    }

    @Test func changedRuleStartsEmpty() throws {
        let first = try Fixtures.engine(Self.rules)
        _ = Fixtures.run(first, events())
        let changed = try Fixtures.engine(Self.rules.replacingOccurrences(of: "threshold: 6", with: "threshold: 7"))
        let restored = changed.restore(first.snapshot())
        #expect(!restored.contains("ips"))
        #expect(restored.contains("dl"))
        #expect(changed.keyCount(ruleID: "ips") == 0)
    }
}
