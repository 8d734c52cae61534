import Foundation
import Hummingbird
import YujingResponse
import YujingServer
import YujingStore

extension ConsoleController {
    static func report(_ run: DrillRunRecord) -> DrillReport? {
        run.report.flatMap { try? JSONDecoder().decode(DrillReport.self, from: Data($0.utf8)) }
    }

    /// Drill history kept at the center, with a pass trend per runbook.
    @Sendable func drillsPage(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .readers, current: "drills") { session, language in
            let runs = try database.drillRuns()
            var byRunbook: [String: [String]] = [:]
            let rows = runs.map { run -> [String: Any] in
                byRunbook[run.runbook, default: []].append(run.status)
                let report = Self.report(run)
                return [
                    "id": run.id, "runbook": run.runbook, "mode": run.mode, "status": run.status,
                    "passed": report.map { String($0.expectations.filter { $0.status == "pass" }.count) } ?? "—",
                    "failed": report.map { String($0.expectations.filter { $0.status != "pass" }.count) } ?? "—",
                    "started": Self.time(run.startedMillis), "by": run.startedBy,
                ]
            }
            let trends = byRunbook.keys.sorted().map { name -> [String: Any] in
                let recent = Array((byRunbook[name] ?? []).prefix(10).reversed())
                let passed = recent.filter { $0 == "passed" }.count
                return [
                    "runbook": name, "summary": "\(passed)/\(recent.count)",
                    "marks": recent.map { $0 == "passed" ? "●" : "○" }.joined(),
                ]
            }
            var values: [String: Any] = ["runs": rows, "trends": trends]
            if session.may(.drillRunners) {
                let offered = ((try? DrillRunbookLoader.loadAll(directory: runbooks)) ?? []).map {
                    ["id": $0.id, "title": $0.title]
                }
                if !offered.isEmpty { values["start"] = ["runbooks": offered] }
            }
            return page(
                request, session: session, language: language, current: "drills", template: "drills",
                context: values)
        }
    }

    /// One drill's report: the SVG timeline of measured times against objectives, expectations, steps.
    @Sendable func drillPage(request: Request, context: YujingRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        return await guarded(request, roles: .readers, current: "drills") { session, language in
            guard let run = try database.drillRun(id: id) else { throw ConsoleError.notFound }
            let report = Self.report(run)
            let seconds = { (value: Double?) in value.map { String(format: "%.1f s", $0) } ?? "—" }
            let expectations = (report?.expectations ?? []).map { e -> [String: Any] in
                [
                    "id": e.id, "text": e.text, "objective": seconds(e.objective_seconds),
                    "measured": seconds(e.measured_seconds), "margin": seconds(e.margin_seconds),
                    "status": e.status, "result": ConsoleStrings.text(e.status == "pass" ? "pass" : "fail", language),
                    "detail": e.detail,
                ]
            }
            let steps = (report?.steps ?? []).map { s -> [String: Any] in
                ["id": s.id, "role": s.role, "text": s.text, "signed": s.signed_off_by ?? "—"]
            }
            return page(
                request, session: session, language: language, current: "drills", template: "drill",
                context: [
                    "id": run.id, "title": run.title, "runbook": run.runbook, "mode": run.mode, "status": run.status,
                    "started": Self.time(run.startedMillis), "svg": report?.timelineSVG() ?? "",
                    "expectations": expectations, "steps": steps, "hasSteps": !steps.isEmpty,
                ])
        }
    }

    /// Starts a drill from the shipped runbooks (ops, datacenter): it runs as `yujing drill run` in the background and
    /// appears in the history.
    @Sendable func startDrill(request: Request, context: YujingRequestContext) async throws -> Response {
        let runbooks = runbooks
        let launcher = launcher
        return await action(request, roles: .drillRunners) { session, form in
            let drills = (try? DrillRunbookLoader.loadAll(directory: runbooks)) ?? []
            guard let chosen = form["runbook"], let drill = drills.first(where: { $0.id == chosen }) else {
                throw ConsoleError.rejected(status: 400, message: "unknown runbook")
            }
            let path = String(drill.source.prefix { $0 != ":" })
            try launcher.launch(runbook: path, actor: session.name)
        }
    }
}
