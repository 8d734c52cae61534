import Foundation
import Testing
import YujingCore
import YujingRules

@Suite struct RuleKindTests {
    @Test func matchWithConditionsFiresOncePerEpisode() throws {
        let engine = try Fixtures.engine(
            """
            - id: scan
              title: Scanner
              kind: match
              level: III
              where:
                user_agent: { contains: [sqlmap, nikto], ignore_case: true }
                ip: { cidr: [203.0.113.0/24, "2001:db8::/32"] }
                status: { gte: 200, lt: 500 }
              group_by: [ip]
              window: 10m
            """)
        let signals = Fixtures.run(
            engine,
            [
                Fixtures.access(0, ip: "203.0.113.7", userAgent: "sqlmap/1.7 (https://sqlmap.org)"),
                Fixtures.access(1, ip: "203.0.113.7", userAgent: "SQLMAP/1.7"),
                Fixtures.access(2, ip: "198.51.100.1", userAgent: "sqlmap/1.7"),  // outside CIDR
                Fixtures.access(3, ip: "2001:db8::5", userAgent: "Nikto/2.5"),
                Fixtures.access(4, ip: "203.0.113.8", status: 500, userAgent: "nikto"),  // status filtered
                Fixtures.access(5, ip: "203.0.113.9", userAgent: "Mozilla/5.0"),
                Fixtures.access(2_000, ip: "203.0.113.7", userAgent: "sqlmap"),  // new episode
            ])
        #expect(signals.map { $0.labels["ip"] ?? "" } == ["203.0.113.7", "2001:db8::5", "203.0.113.7"])
        #expect(signals.allSatisfy { $0.level == .III })
    }

    @Test func regexAndNotEquals() throws {
        let engine = try Fixtures.engine(
            """
            - id: inj
              title: Injection
              kind: match
              level: II
              where:
                query: { regex: "(?i)union(\\\\+|%20)select" }
                method: { not_in: [OPTIONS] }
              group_by: [ip]
            """)
        let signals = Fixtures.run(
            engine,
            [
                Fixtures.access(0, ip: "1.1.1.1", query: "id=1"),
                Fixtures.access(1, ip: "1.1.1.2", query: "id=1%20UNION%20SELECT%20x"),
                Fixtures.access(2, ip: "1.1.1.3"),
            ])
        #expect(signals.map { $0.labels["ip"] ?? "" } == ["1.1.1.2"])
    }

    @Test func leakTiersOnFindingCounts() throws {
        let engine = try Fixtures.engine(
            """
            - id: leak
              title: Leak
              kind: sum
              field: finding.count
              where: { kind: finding, finding.kind: cn_resident_id }
              group_by: [dataset]
              window: 30m
              tiers: [{ at: 1, level: II }, { at: 100, level: I }]
            """)
        var signals = Fixtures.run(engine, [Fixtures.finding(0, dataset: "small", count: 3)])
        #expect(signals.map(\.level) == [.II])
        #expect(signals.first?.labels["dataset"] == "small")
        signals = Fixtures.run(
            engine,
            [
                Fixtures.finding(10, dataset: "big", count: 60),
                Fixtures.finding(11, dataset: "big", count: 60),
                Fixtures.finding(12, dataset: "other", kind: "cn_mobile", count: 500),
            ])
        #expect(signals.map(\.level) == [.II, .I])
        #expect(signals.last?.value == 120)
    }

    @Test func sumOfBytes() throws {
        let engine = try Fixtures.engine(
            """
            - id: bytes
              title: Bytes
              kind: sum
              field: bytes
              group_by: [subject]
              window: 1h
              threshold: 1000
              level: III
            """)
        let events = (0..<20).map { Fixtures.access(Double($0) * 300, bytes: 100) }  // 12 per hour = 1200
        let signals = Fixtures.run(engine, events)
        #expect(signals.count == 1)
        #expect(signals.first?.value == 1000)
        #expect(signals.first?.startsAtMillis == Fixtures.t0 + 9 * 300_000)
    }

    @Test func distinctIPsPerAppKey() throws {
        let engine = try Fixtures.engine(
            """
            - id: share
              title: Sharing
              kind: distinct
              field: ip
              where: { subject_kind: app_key }
              group_by: [subject]
              window: 1h
              tiers: [{ at: 5, level: III }, { at: 8, level: II }]
            """)
        var events: [EngineEvent] = []
        // Same IP repeatedly: no signal.
        for i in 0..<50 { events.append(Fixtures.access(Double(i))) }
        #expect(Fixtures.run(engine, events).isEmpty)
        events = (0..<10).map { Fixtures.access(100 + Double($0) * 60, ip: "10.0.1.\($0)") }
        let signals = Fixtures.run(engine, events)
        #expect(signals.map(\.level) == [.III, .II])
        #expect(signals.map(\.count) == [5, 8])
        // A user subject is not an app key.
        let users = (0..<10).map { Fixtures.access(200 + Double($0), subject: "u1", kind: .user, ip: "10.9.0.\($0)") }
        #expect(Fixtures.run(engine, users).isEmpty)
    }

    @Test func distinctSpreadOverMoreThanTheWindowDoesNotFire() throws {
        let engine = try Fixtures.engine(
            """
            - id: share
              title: Sharing
              kind: distinct
              field: ip
              group_by: [subject]
              window: 10m
              threshold: 5
              level: III
            """)
        // A new IP every 3 minutes: at most 4 in any 10 minutes.
        let events = (0..<40).map { Fixtures.access(Double($0) * 180, ip: "10.0.2.\($0)") }
        #expect(Fixtures.run(engine, events).isEmpty)
    }

    static let sequence = """
        - id: seq
          title: Leak then download
          kind: sequence
          first: { kind: finding }
          then: { kind: access, channel: download }
          group_by: [dataset]
          window: 1h
          tiers: [{ at: 1, level: II }, { at: 3, level: I }]
        """

    @Test func sequenceInOrder() throws {
        let engine = try Fixtures.engine(Self.sequence)
        let signals = Fixtures.run(
            engine,
            [
                Fixtures.access(0, dataset: "d1"),  // download before any finding: nothing
                Fixtures.finding(10, dataset: "d1", count: 5),
                Fixtures.access(20, dataset: "d2"),  // other dataset
                Fixtures.access(30, dataset: "d1"),
                Fixtures.access(40, dataset: "d1"),
                Fixtures.access(50, dataset: "d1"),
                Fixtures.access(60, dataset: "d1"),
            ])
        #expect(signals.map(\.level) == [.II, .I])
        #expect(signals.first?.labels["dataset"] == "d1")
        #expect(signals.first?.startsAtMillis == Fixtures.t0 + 30_000)
    }

    @Test func sequenceOutsideWindowDoesNotFire() throws {
        let engine = try Fixtures.engine(Self.sequence, lateness: 0)
        let signals = Fixtures.run(engine, [Fixtures.finding(0, count: 5), Fixtures.access(3_601)])
        #expect(signals.isEmpty)
    }

    @Test func sequenceArrivingReversedWithinLateness() throws {
        let engine = try Fixtures.engine(Self.sequence, lateness: 600_000)
        // The download (event time 100) arrives before the finding (event time 50).
        let signals = Fixtures.run(engine, [Fixtures.access(100), Fixtures.finding(50, count: 2)])
        #expect(signals.count == 1)
        #expect(signals.first?.startsAtMillis == Fixtures.t0 + 100_000)
    }

    static let absence = """
        - id: silent
          title: Silent agent
          kind: absence
          where: { kind: heartbeat }
          group_by: [agent]
          window: 10m
          expect: [agent-never]
          tiers: [{ at: 10, level: III }, { at: 60, level: II }]
        """

    @Test func absenceFiresOnTheWatermarkNotTheWallClock() throws {
        let engine = try Fixtures.engine(Self.absence, lateness: 60_000)
        var events: [EngineEvent] = []
        // agent-1 beats every minute for an hour, agent-2 stops at minute 20.
        for minute in 0...60 {
            events.append(Fixtures.heartbeat(Double(minute) * 60, agent: "agent-1"))
            if minute <= 20 { events.append(Fixtures.heartbeat(Double(minute) * 60 + 1, agent: "agent-2")) }
        }
        let signals = Fixtures.run(engine, events)
        let agents = signals.map { $0.labels["agent"] ?? "" }
        #expect(agents.contains("agent-2"))
        #expect(agents.contains("agent-never"))
        #expect(!agents.contains("agent-1"))
        let agent2 = try #require(signals.first { $0.labels["agent"] == "agent-2" })
        #expect(agent2.level == .III)
        #expect(agent2.startsAtMillis == Fixtures.t0 + 20 * 60_000 + 1_000 + 600_000)
    }

    @Test func absenceEscalatesAndRecovers() throws {
        let engine = try Fixtures.engine(
            Self.absence.replacingOccurrences(of: "expect: [agent-never]", with: "expect: []"), lateness: 0)
        var signals = Fixtures.run(engine, [Fixtures.heartbeat(0, agent: "a")])
        // Other agents keep time moving.
        for minute in stride(from: 1, through: 90, by: 1) {
            signals += Fixtures.run(engine, [Fixtures.heartbeat(Double(minute) * 60, agent: "b")])
        }
        let forA = signals.filter { $0.labels["agent"] == "a" }
        #expect(forA.map(\.level) == [.III, .II])
        #expect(forA.last?.isEscalation == true)
        // a comes back, then goes silent again: a fresh episode.
        signals = Fixtures.run(engine, [Fixtures.heartbeat(91 * 60, agent: "a")])
        for minute in 92...110 {
            signals += Fixtures.run(engine, [Fixtures.heartbeat(Double(minute) * 60, agent: "b")])
        }
        #expect(signals.filter { $0.labels["agent"] == "a" }.map(\.level) == [.III])
    }

    @Test func absenceDoesNotFireWhileInputIsQuiet() throws {
        // No events at all after the last heartbeat: the watermark does not move, so nothing fires in replay
        // until the daemon advances time explicitly.
        let engine = try Fixtures.engine(
            Self.absence.replacingOccurrences(of: "expect: [agent-never]", with: "expect: []"))
        #expect(Fixtures.run(engine, [Fixtures.heartbeat(0)], finish: true).isEmpty)
        var signals: [WarningSignal] = []
        engine.advanceWatermark(to: Fixtures.t0 + 11 * 60_000, into: &signals)
        #expect(signals.count == 1)
    }

    @Test func baselineNeedsWarmupThenFiresOnSurge() throws {
        let yaml = """
            - id: surge
              title: Surge
              kind: baseline
              group_by: [subject]
              bucket: 1h
              warmup: 24
              sigmas: 4
              alpha: 0.1
              minimum: 100
              level: III
            """
        let engine = try Fixtures.engine(yaml)
        var events: [EngineEvent] = []
        // 30 hours of 20 ± 3 requests an hour.
        for hour in 0..<30 {
            let count = 20 + (hour % 7) - 3
            for i in 0..<count { events.append(Fixtures.access(Double(hour) * 3_600 + Double(i) * 60)) }
        }
        #expect(Fixtures.run(engine, events).isEmpty)
        // Then 400 in one hour.
        let surge = (0..<400).map { Fixtures.access(30 * 3_600 + Double($0) * 5) }
        let signals = Fixtures.run(engine, surge)
        #expect(signals.count == 1)
        #expect(signals.first?.count == 100)

        // A new subject with the same surge but no history: no signal (warm-up).
        let fresh = try Fixtures.engine(yaml)
        #expect(
            Fixtures.run(fresh, (0..<400).map { Fixtures.access(Double($0) * 5, subject: "NEWKEY0000000009") }).isEmpty)
    }

    @Test func baselineHeavyButSteadyUserStaysQuiet() throws {
        let engine = try Fixtures.engine(
            """
            - id: surge
              title: Surge
              kind: baseline
              group_by: [subject]
              bucket: 1h
              warmup: 24
              sigmas: 4
              minimum: 100
              level: III
            """)
        var events: [EngineEvent] = []
        for hour in 0..<72 {
            let count = 500 + (hour * 37 % 120)
            for i in 0..<count {
                events.append(Fixtures.access(Double(hour) * 3_600 + Double(i) * 3_600 / Double(count)))
            }
        }
        #expect(Fixtures.run(engine, events).isEmpty)
    }

    @Test func scopeApprovalAndRestriction() throws {
        let approvalStart = Fixtures.t0
        let approvalEnd = Fixtures.t0 + 3_600_000
        let catalogue = StaticScopeCatalogue(
            datasets: ["cond": .conditional, "open": .unconditional],
            approvals: [
                .init(
                    subject: "GOODKEY000000001", dataset: "cond", validFromMillis: approvalStart,
                    validToMillis: approvalEnd)
            ],
            restrictions: [.init(subject: "BANNEDKEY0000001", fromMillis: Fixtures.t0 + 1_000)])
        let engine = try Fixtures.engine(
            """
            - id: approval
              title: No approval
              kind: scope
              check: approval
              group_by: [subject, dataset]
              window: 24h
              tiers: [{ at: 1, level: II }, { at: 3, level: I }]
            - id: restricted
              title: Restricted
              kind: scope
              check: restriction
              group_by: [subject]
              window: 24h
              level: II
            """, oracle: catalogue)
        let signals = Fixtures.run(
            engine,
            [
                Fixtures.access(0, subject: "GOODKEY000000001", dataset: "cond"),  // approved
                Fixtures.access(1, subject: "OTHERKEY00000001", dataset: "open"),  // unconditional
                Fixtures.access(2, subject: "OTHERKEY00000001", dataset: "cond"),  // no approval
                Fixtures.access(3, subject: "OTHERKEY00000001", dataset: "cond"),
                Fixtures.access(4, subject: "OTHERKEY00000001", dataset: "cond"),  // escalates to I
                Fixtures.access(0.5, subject: "BANNEDKEY0000001", dataset: "open"),  // before restriction
                Fixtures.access(5, subject: "BANNEDKEY0000001", dataset: "open"),
                Fixtures.access(3_700, subject: "GOODKEY000000001", dataset: "cond"),  // approval expired
            ])
        let approval = signals.filter { $0.ruleID == "approval" }
        #expect(approval.map(\.level) == [.II, .I, .II])
        #expect(approval.map { $0.labels["dataset"] ?? "" } == ["cond", "cond", "cond"])
        #expect(approval[0].labels["subject"] == "OTHE…0001")
        #expect(approval[2].labels["subject"] == "GOOD…0001")
        #expect(signals.filter { $0.ruleID == "restricted" }.count == 1)
        // Without an oracle, scope rules never fire.
        let blind = try Fixtures.engine("- id: r\n  title: R\n  kind: scope\n  check: restriction\n  level: II\n")
        #expect(Fixtures.run(blind, [Fixtures.access(0, subject: "BANNEDKEY0000001")]).isEmpty)
    }
}
