import Foundation
import YujingCore
import YujingParsing
import YujingRules

/// The replay loop: split lines, parse, evaluate, print; counts what happened.
struct Replay {
    let parser: AccessLogParser
    let engine: CorrelationEngine
    var output: ReplayOutput
    var lines = 0
    var parsed = 0
    var failures = 0
    var alerts = 0
    var reportedFailures = 0
    var signals: [WarningSignal] = []
    var parseSeconds = 0.0
    var engineSeconds = 0.0
    var timed = false

    static let failureReportLimit = 10

    init(parser: AccessLogParser, engine: CorrelationEngine, output: ReplayOutput) {
        self.parser = parser
        self.engine = engine
        self.output = output
        signals.reserveCapacity(64)
    }

    /// Calls `body` with each line's bytes (without the newline) and its 1-based number.
    static func forEachLine(_ data: Data, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = bytes.baseAddress else { return }
            var start = 0
            var number = 0
            let count = bytes.count
            while start < count {
                let remaining = count - start
                let found = memchr(base + start, 0x0A, remaining)
                let end = found.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? count
                number += 1
                body(UnsafeBufferPointer(start: base + start, count: end - start), number)
                start = end + 1
            }
        }
    }

    /// Event time of the first of the first 100 lines that parses, to order input files.
    static func firstEventTime(_ data: Data, parser: AccessLogParser) -> Int64? {
        var first: Int64?
        forEachLine(data.prefix(1 << 16)) { line, number in
            guard first == nil, number <= 100 else { return }
            first = try? parser.parse(bytes: line).timeMillis
        }
        return first
    }

    mutating func run(data: Data, file: String) {
        // Locals: calling through the inout-captured `self` would copy the parser on every line.
        let parser = parser
        let engine = engine
        Self.forEachLine(data) { line, number in
            lines += 1
            do throws(ParseError) {
                let event = try parser.parse(bytes: line)
                parsed += 1
                engine.process(.access(event), into: &signals)
                if !signals.isEmpty { flushSignals() }
            } catch {
                recordFailure(file: file, line: number, error: error)
            }
        }
    }

    /// Times parsing alone (a first pass that discards the events), then parses into memory and times the
    /// engine alone over the stored events.
    mutating func timedRun(data: Data, file: String) {
        timed = true
        let parser = parser
        let engine = engine
        var checksum: Int64 = 0
        let parseStart = Self.cpuSeconds()
        Self.forEachLine(data) { line, _ in
            if let event = try? parser.parse(bytes: line) { checksum &+= event.timeMillis }
        }
        parseSeconds += Self.cpuSeconds() - parseStart
        if checksum == 42 { output.stderr("") }  // keeps the pass from being optimised away
        var events: [EngineEvent] = []
        events.reserveCapacity(data.count / 100)
        Self.forEachLine(data) { line, number in
            lines += 1
            do throws(ParseError) {
                events.append(.access(try parser.parse(bytes: line)))
                parsed += 1
            } catch {
                recordFailure(file: file, line: number, error: error)
            }
        }
        let engineStart = Self.cpuSeconds()
        for event in events {
            engine.process(event, into: &signals)
        }
        engineSeconds += Self.cpuSeconds() - engineStart
        flushSignals()
    }

    /// CPU time of this thread: robust against other processes sharing the cores.
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    mutating func recordFailure(file: String, line: Int, error: ParseError) {
        failures += 1
        guard reportedFailures < Self.failureReportLimit else { return }
        reportedFailures += 1
        output.stderr("parse failure: \(file):\(line): \(error)")
    }

    mutating func flushSignals() {
        for signal in signals {
            alerts += 1
            output.alert(signal)
        }
        signals.removeAll(keepingCapacity: true)
    }

    mutating func finish() {
        engine.finish(into: &signals)
        flushSignals()
        if failures > reportedFailures {
            output.stderr("parse failure: \(failures - reportedFailures) more not shown")
        }
        let metrics = engine.metrics
        output.summary(
            ReplayOutput.Summary(
                lines: lines, parsed: parsed, parseFailures: failures, late: metrics.lateEvents, alerts: alerts,
                droppedState: metrics.droppedStateCount, rules: engine.rules.enabledRules.count))
        if timed {
            let parseRate = parseSeconds > 0 ? Double(parsed) / parseSeconds : 0
            let engineRate = engineSeconds > 0 ? Double(parsed) / engineSeconds : 0
            output.stderr(
                String(
                    format: "timing (CPU): parse %.3f s (%.0f lines/s), engine %.3f s (%.0f events/s)", parseSeconds,
                    parseRate, engineSeconds, engineRate))
        }
    }
}
