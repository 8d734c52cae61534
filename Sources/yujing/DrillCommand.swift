import ArgumentParser
import Foundation
import YujingCore
import YujingResponse
import YujingRules

/// `yujing drill`: run emergency drills (Art. 39) against a center, list them, show their reports.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Run emergency drills (Art. 39) through the real pipeline and score them; list runs; show reports.",
        subcommands: [Run.self, Validate.self, List.self, Report.self, Approve.self])

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a live drill (datacenter): its measures are then enforced for real.")
        @Argument var id: String
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let run = try await server.client().object("POST", "api/v1/drills/\(id)/approve")
                print("drill \(id): \(OperatorOutput.text(run["status"]))")
            } catch { OperatorOutput.fail(error, command: "drill approve") }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a drill: inject its synthetic traffic and releases as a drill agent, watch each expectation, report.",
            discussion: """
                Every injected event carries the drill id; the center runs it in its own engine, so drill data never
                mixes with real warnings, tracebacks, notices or statistics, and response measures are simulated
                (recorded and shown, never sent to the platform adapter, agents or owners). Needs an ops or
                datacenter token. Exit status: 0 all expectations met, 1 a drill failed or was aborted, 2 usage or
                runbook errors.
                """)

        @Argument(help: "Runbook file (Runbooks/<name>.yaml with a drill: section).") var runbook: String
        @Option(name: .long, help: "Write report.html, report.json and junit.xml here.") var reportDir: String?
        @Flag(name: .long, help: "Tabletop mode: no injection; the steps as a checklist with sign-offs.") var tabletop = false
        @Flag(
            name: .long,
            help: "Live: measures are enforced for real (platform adapter, agents), not simulated. Needs an ops token and a datacenter approval (yujing drill approve ID).")
        var live = false
        @Option(name: .long, help: "Tabletop: sign every step off as this operator without asking.") var signOffAs: String?
        @Option(name: .long, help: "Poll interval for expectations, milliseconds.") var pollMs = 250
        @Option(
            name: .long,
            help: "Inject traffic through a real agent: append nginx lines to this log, which an agent tails.")
        var accessLog: String?
        @Option(
            name: .long,
            help: "Inject releases through a real agent: drop files into DIR/<dataset>/, which an agent watches.")
        var releaseDir: String?
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let drill: DrillRunbook
            do {
                drill = try DrillRunbookLoader.load(path: runbook)
            } catch {
                FileHandle.standardError.write(Data("yujing drill run: \(error)\n".utf8))
                throw ExitCode(2)
            }
            do {
                let client = try server.client()
                let runner = DrillRunner(
                    drill: drill, client: client, tabletop: tabletop, signOffAs: signOffAs, pollMillis: max(50, pollMs),
                    accessLog: accessLog, releaseDir: releaseDir, live: live)
                let report = try await runner.run()
                if let reportDir { try DrillRunner.write(report, to: reportDir) }
                if report.status != "passed" { throw ExitCode(1) }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                OperatorOutput.fail(error, command: "drill run")
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate runbooks (file, line and reason on error).")
        @Argument var runbooks: [String]

        func run() throws {
            var bad = false
            for path in runbooks {
                do {
                    let drill = try DrillRunbookLoader.load(path: path)
                    print("\(path): ok (\(drill.injections.count) injections, \(drill.expectations.count) expectations)")
                } catch {
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                    bad = true
                }
            }
            if bad { throw ExitCode(2) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Drill history kept at the center.")
        @Option(name: .long, help: "Output: table or json.") var format: ListFormat = .table
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let drills = try await server.client().object("GET", "api/v1/drills")["drills"] as? [[String: Any]] ?? []
                if format == .json {
                    for drill in drills { OperatorOutput.printJSON(drill) }
                    return
                }
                let rows = drills.map { d in
                    ["id", "runbook", "mode", "status", "passed", "failed", "started_at", "started_by"].map {
                        OperatorOutput.text(d[$0])
                    }
                }
                print(
                    OperatorOutput.table(["ID", "RUNBOOK", "MODE", "STATUS", "PASS", "FAIL", "STARTED", "BY"], rows),
                    terminator: "")
                // Trend: pass rate of the last runs per runbook.
                var byRunbook: [String: [String]] = [:]
                for d in drills { byRunbook[OperatorOutput.text(d["runbook"]), default: []].append(OperatorOutput.text(d["status"])) }
                for (name, statuses) in byRunbook.sorted(by: { $0.key < $1.key }) {
                    let recent = statuses.prefix(10)
                    let passed = recent.filter { $0 == "passed" }.count
                    print("trend \(name): \(passed)/\(recent.count) of the last runs passed  \(recent.reversed().map { $0 == "passed" ? "●" : "○" }.joined())")
                }
            } catch { OperatorOutput.fail(error, command: "drill ls") }
        }
    }

    struct Report: AsyncParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html, junit }
        static let configuration = CommandConfiguration(abstract: "Show a drill's report (text, json, html or junit).")
        @Argument var id: String
        @Option(name: .long) var format: Format = .text
        @OptionGroup var server: ServerOptions

        func run() async throws {
            do {
                let object = try await server.client().object("GET", "api/v1/drills/\(id)")
                guard let reportObject = object["report"] else {
                    throw APIError(status: 404, message: "drill \(id) has no report yet (status \(OperatorOutput.text(object["status"])))")
                }
                let data = try JSONSerialization.data(withJSONObject: reportObject)
                let report = try JSONDecoder().decode(DrillReport.self, from: data)
                switch format {
                case .json: FileHandle.standardOutput.write(report.json() + Data("\n".utf8))
                case .html: print(report.html(), terminator: "")
                case .junit: print(report.junit(), terminator: "")
                case .text: DrillRunner.printSummary(report)
                }
            } catch { OperatorOutput.fail(error, command: "drill report") }
        }
    }
}

/// Runs one drill against a center: start, inject on schedule, poll expectations, finish with the report.
struct DrillRunner {
    let drill: DrillRunbook
    let client: APIClient
    let tabletop: Bool
    let signOffAs: String?
    let pollMillis: Int
    /// A log an agent tails (traffic goes there instead of the ingest API).
    var accessLog: String? = nil
    /// A release folder an agent watches (`<dir>/<dataset>/`).
    var releaseDir: String? = nil
    /// Measures enforced for real after a datacenter approval.
    var live = false

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    func colour(_ text: String, pass: Bool) -> String {
        guard isTerminal else { return text }
        return (pass ? "\u{1B}[32m" : "\u{1B}[31m") + text + "\u{1B}[0m"
    }

    func run() async throws -> DrillReport {
        let started = try await client.object(
            "POST", "api/v1/drills",
            json: [
                "runbook": drill.id, "title": drill.title, "mode": tabletop ? "tabletop" : (live ? "live" : "inject"),
                "datasets": drill.datasets.map {
                    ["id": $0.id, "title": $0.title, "owner_agency": $0.ownerAgency, "open_category": $0.openCategory.rawValue]
                },
            ])
        guard let id = started["id"] as? String else { throw APIError(status: 0, message: "the center returned no drill id") }
        if live {
            say("drill \(id) is LIVE: measures will be enforced for real. Waiting for a datacenter operator: yujing drill approve \(id)")
            let deadline = Self.now() + drill.abortAfterMillis
            var approved = false
            while Self.now() < deadline, !approved {
                approved = try await client.object("GET", "api/v1/drills/\(id)")["status"] as? String == "running"
                if !approved { try await Task.sleep(for: .milliseconds(pollMillis)) }
            }
            guard approved else {
                _ = try? await client.object(
                    "POST", "api/v1/drills/\(id)/finish",
                    json: [
                        "status": "aborted",
                        "report": try JSONSerialization.jsonObject(
                            with: DrillReport(
                                id: id, runbook: drill.id, title: drill.title, mode: "live", started_at: Self.iso(Self.now()),
                                duration_seconds: 0, status: "aborted", expectations: [], injections: [], steps: []
                            ).json()),
                    ])
                throw APIError(status: 0, message: "live drill \(id) was not approved within \(drill.abortAfterMillis / 1000) s")
            }
            say("drill \(id) approved: live")
        }
        let start = Self.now()
        say("drill \(id): \(drill.title) (\(tabletop ? "tabletop" : "\(drill.injections.count) injections, \(drill.expectations.count) expectations"))")
        var report: DrillReport
        do {
            report = tabletop ? tabletopRun(id: id, start: start) : try await injectRun(id: id, start: start)
        } catch {
            // Leave no half-open drill at the center: record the abort, then report the error.
            let aborted = DrillReport(
                id: id, runbook: drill.id, title: drill.title, mode: tabletop ? "tabletop" : "inject",
                started_at: Self.iso(start), duration_seconds: Double(Self.now() - start) / 1000, status: "aborted",
                expectations: drill.expectations.map {
                    .init(
                        id: $0.id, text: $0.text, measure: $0.measure, objective_seconds: Double($0.withinMillis) / 1000,
                        measured_seconds: nil, status: "fail", detail: "drill aborted: \(error)")
                }, injections: [], steps: [])
            _ = try? await client.object(
                "POST", "api/v1/drills/\(id)/finish",
                json: ["status": "aborted", "report": try JSONSerialization.jsonObject(with: aborted.json())])
            throw error
        }
        let finished = try await client.object(
            "POST", "api/v1/drills/\(id)/finish",
            json: [
                "status": report.status,
                "report": try JSONSerialization.jsonObject(with: report.json()),
            ])
        report.status = finished["status"] as? String ?? report.status
        Self.printSummary(report)
        return report
    }

    func tabletopRun(id: String, start: Int64) -> DrillReport {
        var steps: [DrillReport.Step] = []
        for step in drill.steps {
            say("[ ] \(step.id) (\(step.role)): \(step.text)")
            var signer = signOffAs
            if signer == nil {
                FileHandle.standardOutput.write(Data("    signed off by (name, empty to leave open): ".utf8))
                let line = readLine()?.trimmingCharacters(in: .whitespaces) ?? ""
                signer = line.isEmpty ? nil : line
            }
            let at = Double(Self.now() - start) / 1000
            steps.append(.init(id: step.id, role: step.role, text: step.text, signed_off_by: signer, at_seconds: signer == nil ? nil : at))
            say(colour("    \(signer == nil ? "open" : "signed off by \(signer!)") at \(String(format: "%.1f", at)) s", pass: signer != nil))
        }
        let passed = steps.allSatisfy { $0.signed_off_by != nil }
        return DrillReport(
            id: id, runbook: drill.id, title: drill.title, mode: "tabletop", started_at: Self.iso(start),
            duration_seconds: Double(Self.now() - start) / 1000, status: passed ? "passed" : "failed", expectations: [],
            injections: [], steps: steps)
    }

    static func iso(_ millis: Int64) -> String { Date(timeIntervalSince1970: Double(millis) / 1000).formatted(.iso8601) }

    func injectRun(id: String, start: Int64) async throws -> DrillReport {
        var injector = DrillInjector(drill: id, startMillis: start)
        let scratch = NSTemporaryDirectory() + "yujing-\(id)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var injected: [DrillReport.Injection] = []
        var pending = drill.injections.sorted { $0.atMillis < $1.atMillis }
        var outcomes: [String: DrillReport.Expectation] = [:]
        var lastErrors: [String: String] = [:]
        var batch = 0
        var dropped: [String] = []
        defer { for path in dropped { try? FileManager.default.removeItem(atPath: path) } }
        let deadline = start + drill.abortAfterMillis
        while Self.now() < deadline {
            while let next = pending.first, Self.now() >= start + next.atMillis {
                pending.removeFirst()
                if next.kind == .datasetRelease, let releaseDir, let dataset = next.dataset {
                    let folder = (releaseDir as NSString).appendingPathComponent(dataset)
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    let path = try injector.releaseFile(
                        next, in: folder, name: "\(dataset)-release.yujing-\(id).csv")
                    dropped.append(path)
                    let at = Double(Self.now() - start) / 1000
                    injected.append(.init(kind: next.kind.rawValue, at_seconds: at, events: 1))
                    say("→ released \((path as NSString).lastPathComponent) into the watched folder at \(String(format: "%.1f", at)) s")
                    continue
                }
                let events = try injector.events(for: next, scratch: scratch)
                if let accessLog, next.kind != .heartbeatGap, next.kind != .datasetRelease {
                    let lines = events.compactMap(DrillInjector.combinedLine).joined(separator: "\n") + "\n"
                    guard let handle = FileHandle(forWritingAtPath: accessLog) else {
                        throw APIError(status: 0, message: "cannot append to \(accessLog)")
                    }
                    try handle.seekToEnd()
                    try handle.write(contentsOf: Data(lines.utf8))
                    try handle.close()
                    let at = Double(Self.now() - start) / 1000
                    injected.append(.init(kind: next.kind.rawValue, at_seconds: at, events: events.count))
                    say("→ appended \(events.count) \(next.kind.rawValue) lines to the tailed log at \(String(format: "%.1f", at)) s")
                    continue
                }
                for chunk in stride(from: 0, to: events.count, by: 1000) {
                    batch += 1
                    _ = try await client.object(
                        "POST", "api/v1/ingest",
                        json: [
                            "agent": "drill-\(id)", "batch_id": "\(id)-\(batch)",
                            "events": Array(events[chunk..<min(chunk + 1000, events.count)]),
                        ])
                }
                let at = Double(Self.now() - start) / 1000
                injected.append(.init(kind: next.kind.rawValue, at_seconds: at, events: events.count))
                say("→ injected \(next.kind.rawValue): \(events.count) events at \(String(format: "%.1f", at)) s")
            }
            let elapsed = Self.now() - start
            for expectation in drill.expectations where outcomes[expectation.id] == nil {
                let met: String?
                do {
                    met = try await check(expectation, drill: id, start: start)
                } catch {
                    met = nil
                    lastErrors[expectation.id] = "\(error)"
                }
                if let detail = met {
                    let measured = Double(elapsed) / 1000
                    let pass = elapsed <= expectation.withinMillis
                    outcomes[expectation.id] = .init(
                        id: expectation.id, text: expectation.text, measure: expectation.measure,
                        objective_seconds: Double(expectation.withinMillis) / 1000, measured_seconds: measured,
                        status: pass ? "pass" : "fail", detail: pass ? detail : "met late: \(detail)")
                    say(colour("\(pass ? "✔" : "✘") \(expectation.id): \(expectation.text) — \(String(format: "%.1f", measured)) s (objective \(expectation.withinMillis / 1000) s)", pass: pass))
                } else if elapsed > expectation.withinMillis {
                    var why = lastErrors[expectation.id].map { "could not check: \($0)" } ?? "not met"
                    if lastErrors[expectation.id] == nil, let explained = try? await reason(expectation, drill: id) {
                        why = explained
                    }
                    outcomes[expectation.id] = .init(
                        id: expectation.id, text: expectation.text, measure: expectation.measure,
                        objective_seconds: Double(expectation.withinMillis) / 1000, measured_seconds: nil, status: "fail",
                        detail: why)
                    say(colour("✘ \(expectation.id): \(expectation.text) — not met within \(expectation.withinMillis / 1000) s", pass: false))
                }
            }
            if outcomes.count == drill.expectations.count, pending.isEmpty { break }
            try await Task.sleep(for: .milliseconds(pollMillis))
        }
        let aborted = outcomes.count < drill.expectations.count
        let expectations = drill.expectations.map { expectation in
            outcomes[expectation.id]
                ?? .init(
                    id: expectation.id, text: expectation.text, measure: expectation.measure,
                    objective_seconds: Double(expectation.withinMillis) / 1000, measured_seconds: nil, status: "fail",
                    detail: "drill aborted after \(drill.abortAfterMillis / 1000) s")
        }
        let passed = expectations.allSatisfy { $0.status == "pass" }
        return DrillReport(
            id: id, runbook: drill.id, title: drill.title, mode: live ? "live" : "inject", started_at: Self.iso(start),
            duration_seconds: Double(Self.now() - start) / 1000,
            status: aborted ? "aborted" : (passed ? "passed" : "failed"), expectations: expectations,
            injections: injected,
            steps: drill.steps.map { .init(id: $0.id, role: $0.role, text: $0.text, signed_off_by: nil, at_seconds: nil) })
    }

    func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? text
    }

    /// What met the expectation, or nil while it is not met.
    func check(_ expectation: DrillExpectation, drill id: String, start: Int64) async throws -> String? {
        switch expectation.check {
        case .warning(let rule, let minLevel, let dataset):
            var path = "api/v1/warnings?drill=\(query(id))&rule=\(query(rule))"
            if let dataset { path += "&dataset=\(query(dataset))" }
            let warnings = try await client.object("GET", path)["warnings"] as? [[String: Any]] ?? []
            let hit = warnings.first {
                guard let level = ($0["level"] as? String).flatMap(WarningLevel.parse) else { return false }
                return level.severity >= minLevel.severity
            }
            return hit.map { "warning \(OperatorOutput.text($0["id"])) level \(OperatorOutput.text($0["level"]))" }
        case .withdrawn(let dataset):
            let list = try await client.object("GET", "api/v1/withdrawals?drill=\(query(id))&dataset=\(query(dataset))")
            let hit = (list["withdrawals"] as? [[String: Any]] ?? []).first { $0["state"] as? String == "withdrawn" }
            return hit.map {
                "withdrawal \(OperatorOutput.text($0["id"])) withdrawn (\(OperatorOutput.text(($0["verification"] as? [String: Any])?["status"])))"
            }
        case .restricted(let subject, let measure):
            let list = try await client.object("GET", "api/v1/restrictions?drill=\(query(id))&state=active")
            let hit = (list["restrictions"] as? [[String: Any]] ?? []).first {
                $0["subject"] as? String == subject
                    && (($0["measure"] as? String).flatMap(RestrictionMeasure.init(rawValue:)).map { $0 >= measure } ?? false)
            }
            return hit.map { "restriction \(OperatorOutput.text($0["id"])): \(OperatorOutput.text($0["measure"]))" }
        case .tracebackContains(let dataset, let subjects):
            let since = Self.iso(start - 86_400_000)
            let document = try await client.object(
                "GET", "api/v1/datasets/\(query(dataset))/traceback?drill=\(query(id))&since=\(query(since))")
            let found = Set((document["rows"] as? [[String: Any]] ?? []).compactMap { $0["subject"] as? String })
            return Set(subjects).isSubset(of: found) ? "traceback lists \(found.count) subject(s)" : nil
        case .noticePublished(let subject):
            let list = try await client.object("GET", "api/v1/restrictions?drill=\(query(id))&state=active")
            let hit = (list["restrictions"] as? [[String: Any]] ?? []).first { $0["subject"] as? String == subject }
            return hit.map { "notice entry prepared: ground \(OperatorOutput.text($0["ground"])) (drill measures are never published)" }
        }
    }

    /// Why an expectation was not met, for the report.
    func reason(_ expectation: DrillExpectation, drill id: String) async throws -> String {
        switch expectation.check {
        case .warning(let rule, let minLevel, _):
            let rules = try await client.object("GET", "api/v1/rules")["rules"] as? [[String: Any]] ?? []
            guard let definition = rules.first(where: { $0["id"] as? String == rule }) else {
                return "rule \(rule) is not loaded at the center"
            }
            if definition["enabled"] as? Bool == false { return "rule \(rule) is disabled" }
            let warnings = try await client.object("GET", "api/v1/warnings?drill=\(query(id))&rule=\(query(rule))")["warnings"] as? [[String: Any]] ?? []
            if let best = warnings.first { return "rule \(rule) fired at level \(OperatorOutput.text(best["level"])), below \(minLevel.rawValue)" }
            return "rule \(rule) raised no warning"
        case .withdrawn(let dataset):
            let list = try await client.object("GET", "api/v1/withdrawals?drill=\(query(id))&dataset=\(query(dataset))")
            if let first = (list["withdrawals"] as? [[String: Any]])?.first {
                return "withdrawal \(OperatorOutput.text(first["id"])) is \(OperatorOutput.text(first["state"]))"
            }
            return "no withdrawal of \(dataset) (no plan matched, or no warning)"
        case .restricted(let subject, _), .noticePublished(let subject):
            let list = try await client.object("GET", "api/v1/restrictions?drill=\(query(id))")
            if let first = (list["restrictions"] as? [[String: Any]] ?? []).first(where: { $0["subject"] as? String == subject }) {
                return "restriction \(OperatorOutput.text(first["id"])) is \(OperatorOutput.text(first["state"])) (\(OperatorOutput.text(first["measure"])))"
            }
            return "no restriction of \(subject)"
        case .tracebackContains(let dataset, let subjects):
            return "traceback of \(dataset) lacks some of \(subjects.joined(separator: ", "))"
        }
    }

    static func write(_ report: DrillReport, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = (directory as NSString).appendingPathComponent(report.id)
        try report.json().write(to: URL(fileURLWithPath: base + ".json"))
        try report.html().write(toFile: base + ".html", atomically: true, encoding: .utf8)
        try report.junit().write(toFile: base + ".junit.xml", atomically: true, encoding: .utf8)
        print("reports: \(base).html, \(base).json, \(base).junit.xml")
    }

    static func printSummary(_ report: DrillReport) {
        print("drill \(report.id) \(report.runbook): \(report.status.uppercased()) in \(String(format: "%.1f", report.duration_seconds)) s")
        let rows = report.expectations.map {
            [
                $0.status == "pass" ? "PASS" : "FAIL", $0.id, $0.measure, String(format: "%.1f", $0.objective_seconds),
                $0.measured_seconds.map { String(format: "%.1f", $0) } ?? "—",
                $0.margin_seconds.map { String(format: "%+.1f", $0) } ?? "—", $0.detail,
            ]
        }
        if !rows.isEmpty {
            print(OperatorOutput.table(["RESULT", "EXPECTATION", "MEASURE", "OBJECTIVE", "MEASURED", "MARGIN", "DETAIL"], rows), terminator: "")
        }
    }
}
