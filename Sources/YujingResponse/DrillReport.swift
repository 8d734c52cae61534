import Foundation

/// The result of a drill run: per expectation pass/fail with the measured time against its objective, the injections
/// and the signed-off steps. Rendered as JSON (machines), HTML with an SVG timeline (people) and JUnit XML (CI gates).
public struct DrillReport: Codable, Sendable, Equatable {
    /// One expectation's outcome.
    public struct Expectation: Codable, Sendable, Equatable {
        /// Id.
        public var id: String
        /// What was expected.
        public var text: String
        /// MTTD, TTW or MTTR.
        public var measure: String
        /// Objective, seconds from the start.
        public var objective_seconds: Double
        /// Measured, seconds from the start (nil: never met).
        public var measured_seconds: Double?
        /// `pass` or `fail`.
        public var status: String
        /// Why it failed (or what met it).
        public var detail: String

        /// Objective minus measured (negative: late); nil when never met.
        public var margin_seconds: Double? { measured_seconds.map { objective_seconds - $0 } }

        /// Creates an outcome.
        public init(
            id: String, text: String, measure: String, objective_seconds: Double, measured_seconds: Double?,
            status: String, detail: String
        ) {
            self.id = id
            self.text = text
            self.measure = measure
            self.objective_seconds = objective_seconds
            self.measured_seconds = measured_seconds
            self.status = status
            self.detail = detail
        }
    }

    /// One injection as performed.
    public struct Injection: Codable, Sendable, Equatable {
        /// Kind.
        public var kind: String
        /// Seconds from the start when it was sent.
        public var at_seconds: Double
        /// Events sent.
        public var events: Int

        /// Creates an entry.
        public init(kind: String, at_seconds: Double, events: Int) {
            self.kind = kind
            self.at_seconds = at_seconds
            self.events = events
        }
    }

    /// One manual step.
    public struct Step: Codable, Sendable, Equatable {
        /// Id.
        public var id: String
        /// Role.
        public var role: String
        /// Text.
        public var text: String
        /// Who signed it off (nil: open).
        public var signed_off_by: String?
        /// Seconds from the start.
        public var at_seconds: Double?

        /// Creates a step.
        public init(id: String, role: String, text: String, signed_off_by: String?, at_seconds: Double?) {
            self.id = id
            self.role = role
            self.text = text
            self.signed_off_by = signed_off_by
            self.at_seconds = at_seconds
        }
    }

    /// Drill id.
    public var id: String
    /// Runbook id.
    public var runbook: String
    /// Title.
    public var title: String
    /// `inject` or `tabletop`.
    public var mode: String
    /// Start (RFC 3339).
    public var started_at: String
    /// Duration, seconds.
    public var duration_seconds: Double
    /// `passed`, `failed` or `aborted`.
    public var status: String
    /// Expectations.
    public var expectations: [Expectation]
    /// Injections.
    public var injections: [Injection]
    /// Steps.
    public var steps: [Step]

    /// Creates a report.
    public init(
        id: String, runbook: String, title: String, mode: String, started_at: String, duration_seconds: Double,
        status: String, expectations: [Expectation], injections: [Injection], steps: [Step]
    ) {
        self.id = id
        self.runbook = runbook
        self.title = title
        self.mode = mode
        self.started_at = started_at
        self.duration_seconds = duration_seconds
        self.status = status
        self.expectations = expectations
        self.injections = injections
        self.steps = steps
    }

    /// JSON (sorted keys).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    static func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }

    /// JUnit XML: one test case per expectation; failures carry the reason.
    public func junit() -> String {
        let failures = expectations.filter { $0.status != "pass" }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites><testsuite name=\"drill.\(Self.escape(runbook))\" tests=\"\(expectations.count)\" "
        xml += "failures=\"\(failures)\" time=\"\(String(format: "%.3f", duration_seconds))\" timestamp=\"\(Self.escape(started_at))\">\n"
        for expectation in expectations {
            let time = expectation.measured_seconds ?? expectation.objective_seconds
            xml += "  <testcase classname=\"drill.\(Self.escape(runbook))\" name=\"\(Self.escape(expectation.id)): "
            xml += "\(Self.escape(expectation.text))\" time=\"\(String(format: "%.3f", time))\">"
            if expectation.status != "pass" {
                xml += "<failure message=\"\(Self.escape(expectation.detail))\">objective \(Self.seconds(expectation.objective_seconds))</failure>"
            }
            xml += "</testcase>\n"
        }
        xml += "</testsuite></testsuites>\n"
        return xml
    }

    /// The SVG timeline: one row per expectation with its objective (outline) and measured time (filled, green when
    /// met, red when not), injections as ticks on the axis.
    public func timelineSVG() -> String {
        let rowHeight = 28.0
        let left = 230.0
        let width = 900.0
        let plot = width - left - 20
        let horizon = max(
            1, (expectations.map { max($0.objective_seconds, $0.measured_seconds ?? 0) } + [duration_seconds]).max() ?? 1)
        let height = Double(expectations.count) * rowHeight + 70
        func x(_ seconds: Double) -> Double { left + plot * min(seconds, horizon) / horizon }
        var svg = "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        svg += "role=\"img\" aria-label=\"Drill timeline\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<title>Drill timeline: measured time against objective per expectation</title>\n"
        for (index, e) in expectations.enumerated() {
            let y = 20 + Double(index) * rowHeight
            let colour = e.status == "pass" ? "#2e7d32" : "#c62828"
            svg += "<g class=\"expectation \(e.status)\" data-id=\"\(Self.escape(e.id))\">"
            svg += "<text x=\"4\" y=\"\(y + 15)\">\(Self.escape(e.id)) (\(e.measure)) \(e.status == "pass" ? "✔" : "✘")</text>"
            svg += "<rect class=\"objective\" x=\"\(left)\" y=\"\(y + 4)\" width=\"\(x(e.objective_seconds) - left)\" height=\"16\" fill=\"none\" stroke=\"#555\" stroke-dasharray=\"4 2\"/>"
            if let measured = e.measured_seconds {
                svg += "<rect class=\"measured\" x=\"\(left)\" y=\"\(y + 7)\" width=\"\(max(2, x(measured) - left))\" height=\"10\" fill=\"\(colour)\"/>"
                svg += "<text x=\"\(x(measured) + 4)\" y=\"\(y + 16)\" fill=\"\(colour)\">\(Self.seconds(measured))</text>"
            } else {
                svg += "<text x=\"\(left + 4)\" y=\"\(y + 16)\" fill=\"\(colour)\">not met</text>"
            }
            svg += "</g>\n"
        }
        let axisY = 24 + Double(expectations.count) * rowHeight
        svg += "<line x1=\"\(left)\" y1=\"\(axisY)\" x2=\"\(left + plot)\" y2=\"\(axisY)\" stroke=\"#333\"/>\n"
        for step in 0...4 {
            let seconds = horizon * Double(step) / 4
            svg += "<text x=\"\(x(seconds) - 10)\" y=\"\(axisY + 16)\">\(Self.seconds(seconds))</text>"
        }
        for injection in injections {
            svg += "<line class=\"injection\" x1=\"\(x(injection.at_seconds))\" y1=\"\(axisY - 6)\" x2=\"\(x(injection.at_seconds))\" y2=\"\(axisY + 4)\" stroke=\"#1565c0\" stroke-width=\"2\"><title>\(Self.escape(injection.kind))</title></line>"
        }
        svg += "\n<text x=\"\(left)\" y=\"\(axisY + 34)\" fill=\"#555\">dashed: objective · bar: measured · blue ticks: injections</text>\n"
        return svg + "</svg>\n"
    }

    /// A self-contained HTML report (no external assets).
    public func html() -> String {
        var rows = ""
        for e in expectations {
            rows += "<tr class=\"\(e.status)\"><td>\(Self.escape(e.id))</td><td>\(Self.escape(e.text))</td>"
            rows += "<td>\(e.measure)</td><td>\(Self.seconds(e.objective_seconds))</td>"
            rows += "<td>\(e.measured_seconds.map(Self.seconds) ?? "—")</td>"
            rows += "<td>\(e.margin_seconds.map(Self.seconds) ?? "—")</td>"
            rows += "<td><strong>\(e.status == "pass" ? "PASS 通过" : "FAIL 未通过")</strong></td><td>\(Self.escape(e.detail))</td></tr>\n"
        }
        var stepRows = ""
        for s in steps {
            stepRows += "<tr><td>\(Self.escape(s.id))</td><td>\(Self.escape(s.role))</td><td>\(Self.escape(s.text))</td>"
            stepRows += "<td>\(Self.escape(s.signed_off_by ?? "open"))</td><td>\(s.at_seconds.map(Self.seconds) ?? "—")</td></tr>\n"
        }
        return """
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>演练报告 Drill report: \(Self.escape(title))</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse;width:100%;margin:1em 0}\
            td,th{border:1px solid #999;padding:.3em .5em;text-align:left}tr.fail td{background:#fdecea}\
            tr.pass td{background:#edf7ed}.status{font-size:1.4em}</style></head>
            <body><h1>演练报告 Drill report</h1>
            <p class="status">\(Self.escape(title)) — <strong id="drill-status">\(status.uppercased())</strong></p>
            <p>Drill <code>\(Self.escape(id))</code>, runbook <code>\(Self.escape(runbook))</code>, mode \(Self.escape(mode)),
            started \(Self.escape(started_at)), \(Self.seconds(duration_seconds)).</p>
            <h2>时间线 Timeline</h2>
            \(timelineSVG())
            <h2>预期 Expectations</h2>
            <table><thead><tr><th>id</th><th>expectation</th><th>measure</th><th>objective</th><th>measured</th>\
            <th>margin</th><th>result</th><th>detail</th></tr></thead><tbody>
            \(rows)</tbody></table>
            <h2>步骤 Steps</h2>
            <table><thead><tr><th>id</th><th>role</th><th>step</th><th>signed off by</th><th>at</th></tr></thead><tbody>
            \(stepRows)</tbody></table>
            </body></html>

            """
    }
}
