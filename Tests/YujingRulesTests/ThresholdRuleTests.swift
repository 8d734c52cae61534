import Foundation
import Testing
import YujingCore
import YujingRules

@Suite struct ThresholdRuleTests {
    static let rule = """
        - id: dl
          title: Downloads per key
          kind: threshold
          where: { kind: access, channel: download }
          group_by: [subject]
          window: 60s
          tiers:
            - { at: 5, level: III }
            - { at: 10, level: II }
          annotations:
            summary: "{{subject}} downloaded {{count}} in {{window}}"
        """

    @Test func firesOnceWhenCrossingThenEscalatesOnce() throws {
        let engine = try Fixtures.engine(Self.rule)
        let events = (0..<30).map { Fixtures.access(Double($0)) }
        let signals = Fixtures.run(engine, events)
        #expect(signals.count == 2)
        #expect(signals.map(\.level) == [.III, .II])
        #expect(signals.map(\.count) == [5, 10])
        #expect(signals[0].startsAtMillis == Fixtures.t0 + 4_000)
        #expect(signals[1].isEscalation)
        #expect(signals[0].fingerprint == signals[1].fingerprint)
        // Credentials never appear in clear.
        #expect(signals[0].labels["subject"] == "AKTE…0001")
        #expect(signals[0].labels["subject_kind"] == "app_key")
        #expect(signals[0].annotations["summary"] == "AKTE…0001 downloaded 5 in 1m")
        #expect(!signals[0].evidence.contains("AKTEST0000000001"))
        #expect(signals[0].labels["rule"] == "dl")
        #expect(signals[0].labels["level"] == "III")
    }

    @Test func doesNotFireBelowThresholdOrOtherKeys() throws {
        let engine = try Fixtures.engine(Self.rule)
        var events: [EngineEvent] = []
        for i in 0..<4 { events.append(Fixtures.access(Double(i))) }
        for i in 0..<4 { events.append(Fixtures.access(Double(i) + 5, subject: "OTHERKEY00000002")) }
        events.append(Fixtures.access(10, channel: .api))
        events.append(Fixtures.access(11, subject: nil))
        #expect(Fixtures.run(engine, events).isEmpty)
    }

    @Test func secPitfallFastReplayOfADaySpreadInEventTime() throws {
        // 1,440 downloads by one key, one a minute over a day: never 5 in 60 s of event time. Processed in a few
        // milliseconds of wall time, which is what made SEC fire.
        let engine = try Fixtures.engine(Self.rule)
        let events = (0..<1_440).map { Fixtures.access(Double($0) * 60) }
        let signals = Fixtures.run(engine, events, finish: true)
        #expect(signals.isEmpty)
        #expect(engine.metrics.eventsProcessed == 1_440)
        #expect(engine.metrics.lateEvents == 0)
        // Old timestamps were evicted as the watermark moved: state stays small.
        #expect(engine.stateKeyCount <= 1)
    }

    @Test func windowSlidesOnEventTime() throws {
        let engine = try Fixtures.engine(Self.rule)
        // 4 events, a gap longer than the window, 4 more: never 5 within 60 s.
        let times: [Double] = [0, 10, 20, 30, 100, 110, 120, 130]
        #expect(Fixtures.run(engine, times.map { Fixtures.access($0) }).isEmpty)
        // The fifth event within 60 s of the last four fires.
        #expect(Fixtures.run(engine, [Fixtures.access(140)]).count == 1)
    }

    @Test func outOfOrderWithinLatenessCounts() throws {
        let engine = try Fixtures.engine(Self.rule, lateness: 120_000)
        // Events at 0,10,20,30 arrive after one at 90; then a late one at 25 completes 5 within [0,60].
        var signals = Fixtures.run(engine, [0, 10, 20, 90, 30].map { Fixtures.access($0) })
        #expect(signals.isEmpty)
        signals = Fixtures.run(engine, [Fixtures.access(25)])
        #expect(signals.count == 1)
        #expect(signals.first?.count == 5)
        #expect(engine.metrics.lateEvents == 0)
    }

    @Test func aLateEventInAQuietWindowDoesNotRestartAnEpisode() throws {
        let engine = try Fixtures.engine(Self.rule, lateness: 300_000)
        // Fires at the fifth event (t = 104); then a late event from a quiet stretch (t = 10); then more of
        // the same burst: still one episode, one signal.
        var signals = Fixtures.run(engine, (100..<105).map { Fixtures.access(Double($0)) })
        signals += Fixtures.run(engine, [Fixtures.access(10), Fixtures.access(106), Fixtures.access(107)])
        #expect(signals.count == 1)
        #expect(engine.metrics.lateEvents == 0)
    }

    @Test func eventsBeyondLatenessAreDroppedAndCounted() throws {
        let engine = try Fixtures.engine(Self.rule, lateness: 30_000)
        var events = [0, 10, 20, 30].map { Fixtures.access($0) }
        events.append(Fixtures.access(200))  // watermark now 170 s
        events.append(Fixtures.access(35))  // too late
        events.append(Fixtures.access(36))  // too late
        let signals = Fixtures.run(engine, events)
        #expect(signals.isEmpty)
        #expect(engine.metrics.lateEvents == 2)
        #expect(engine.metrics.eventsProcessed == 5)
    }

    @Test func reFiresAfterTheConditionClears() throws {
        let engine = try Fixtures.engine(Self.rule)
        let burst1 = (0..<6).map { Fixtures.access(Double($0)) }
        let burst2 = (0..<6).map { Fixtures.access(1_000 + Double($0)) }
        let signals = Fixtures.run(engine, burst1 + burst2)
        #expect(signals.count == 2)
        #expect(signals.allSatisfy { $0.level == .III && !$0.isEscalation })
    }

    @Test func globalKeyCapAcrossRules() throws {
        let rules = try RuleLoader.load(
            files: [
                (name: "a.yaml", text: Self.rule),
                (name: "b.yaml", text: Self.rule.replacingOccurrences(of: "id: dl", with: "id: dl2")),
            ])
        let engine = CorrelationEngine(
            rules: rules, configuration: EngineConfiguration(allowedLatenessMillis: 0, maxTotalKeys: 500))
        let events = (0..<4_096).map { Fixtures.access(Double($0) * 0.001, subject: "KEY-\(1_000_000 + $0)") }
        _ = Fixtures.run(engine, events)
        // Checked every 1,024 events: never far above the cap, and every drop is counted.
        #expect(engine.stateKeyCount <= 500)
        #expect(engine.metrics.droppedStateCount >= 2 * 4_096 - 500)
    }

    @Test func evictionAndKeyCap() throws {
        let engine = try Fixtures.engine(Self.rule, lateness: 0, maxKeys: 100)
        var events: [EngineEvent] = []
        for i in 0..<1_000 { events.append(Fixtures.access(Double(i) * 0.01, subject: "KEY-\(100_000 + i)")) }
        _ = Fixtures.run(engine, events)
        #expect(engine.stateKeyCount <= 100)
        #expect(engine.metrics.droppedStateCount >= 900)
        // After the window passes the watermark, everything is evicted.
        _ = Fixtures.run(engine, [Fixtures.access(10_000, subject: "LATEKEY000000001")])
        _ = Fixtures.run(engine, [Fixtures.access(10_100, subject: "LATEKEY000000001")])
        #expect(engine.stateKeyCount == 1)
        #expect(engine.metrics.evictedKeys > 0)
    }
}
