import Foundation
import YujingCore
import YujingRules

/// Prints replay results as a table or as JSON Lines.
struct ReplayOutput {
    struct Summary: Encodable {
        var type = "summary"
        var lines: Int
        var parsed: Int
        var parseFailures: Int
        var late: Int
        var alerts: Int
        var droppedState: Int
        var rules: Int

        enum CodingKeys: String, CodingKey {
            case type, lines, parsed, late, alerts, rules
            case parseFailures = "parse_failures"
            case droppedState = "dropped_state"
        }
    }

    struct AlertLine: Encodable {
        var type = "alert"
        var rule: String
        var title: String
        var level: String
        var levelName: String
        var escalation: Bool
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var count: Int
        var value: Double
        var fingerprint: String
        var evidence: String

        enum CodingKeys: String, CodingKey {
            case type, rule, title, level, escalation, labels, annotations, startsAt, count, value, fingerprint
            case evidence
            case levelName = "level_name"
        }
    }

    let format: ReplayCommand.OutputFormat
    let encoder: JSONEncoder

    init(format: ReplayCommand.OutputFormat) {
        self.format = format
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    static func iso(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1000).formatted(.iso8601)
    }

    func header() {
        stdout(
            Self.pad("STARTS AT (UTC)", 21) + Self.pad("LEVEL", 13) + Self.pad("RULE", 34) + Self.pad("COUNT", 8)
                + "KEY / SUMMARY")
    }

    func alert(_ signal: WarningSignal) {
        switch format {
        case .json:
            let line = AlertLine(
                rule: signal.ruleID, title: signal.title, level: signal.level.rawValue,
                levelName: signal.level.chineseName, escalation: signal.isEscalation, labels: signal.labels,
                annotations: signal.annotations, startsAt: Self.iso(signal.startsAtMillis), count: signal.count,
                value: signal.value, fingerprint: signal.fingerprint, evidence: signal.evidence)
            if let data = try? encoder.encode(line) { stdout(String(decoding: data, as: UTF8.self)) }
        case .table:
            let key = ["subject", "ip", "dataset", "agent"].compactMap { name in
                signal.labels[name].map { "\(name)=\($0)" }
            }.joined(separator: " ")
            let level = "\(signal.level.rawValue) \(signal.level.colour)" + (signal.isEscalation ? " ↑" : "")
            stdout(
                Self.pad(Self.iso(signal.startsAtMillis), 21) + Self.pad(level, 13) + Self.pad(signal.ruleID, 34)
                    + Self.pad(String(signal.count), 8) + key + " — "
                    + (signal.annotations["summary"] ?? signal.title))
        }
    }

    func summary(_ summary: Summary) {
        switch format {
        case .json:
            if let data = try? encoder.encode(summary) { stdout(String(decoding: data, as: UTF8.self)) }
        case .table:
            stdout(
                "\n\(summary.lines) lines, \(summary.parsed) parsed, \(summary.parseFailures) parse failures, "
                    + "\(summary.late) late, \(summary.alerts) alerts (\(summary.rules) rules)"
                    + (summary.droppedState > 0 ? ", \(summary.droppedState) state entries dropped" : ""))
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let length = text.count
        return length >= width ? text + " " : text + String(repeating: " ", count: width - length)
    }

    func stdout(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
