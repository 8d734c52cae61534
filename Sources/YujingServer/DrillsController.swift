import Foundation
import Hummingbird
import NIOCore
import YujingCore
import YujingResponse
import YujingStore

/// `/api/v1/drills`: drill runs kept at the center (Art. 39). `yujing drill run` starts a run (its catalogue entries
/// are created for the drill only), injects events stamped with the drill id, and finishes it with its report.
struct DrillsController {
    let database: YujingDatabase
    let pipeline: Pipeline

    static let runners: Set<TokenRole> = .drillRunners

    func addRoutes(to group: RouterGroup<YujingRequestContext>) {
        group.post("drills", use: start)
        group.get("drills", use: list)
        group.get("drills/{id}", use: show)
        group.get("drills/{id}/report.html", use: html)
        group.post("drills/{id}/finish", use: finish)
        group.post("drills/{id}/approve", use: approve)
    }

    struct DatasetBody: Decodable {
        var id: String
        var title: String?
        var owner_agency: String?
        var open_category: OpenCategory?
    }

    struct StartBody: Decodable {
        var runbook: String
        var title: String
        var mode: String?
        var datasets: [DatasetBody]?
    }

    struct Started: ResponseEncodable {
        var id: String
        var started_at: String
    }

    struct FinishBody: Decodable {
        var status: String
        var report: DrillReport
    }

    struct RunView: ResponseEncodable {
        var id: String
        var runbook: String
        var title: String
        var mode: String
        var started_by: String
        var started_at: String
        var finished_at: String?
        var status: String
        var passed: Int?
        var failed: Int?
        var report: DrillReport?

        init(_ run: DrillRunRecord, withReport: Bool) {
            id = run.id
            runbook = run.runbook
            title = run.title
            mode = run.mode
            started_by = run.startedBy
            started_at = WarningView.time(run.startedMillis)
            finished_at = run.finishedMillis.map(WarningView.time)
            status = run.status
            let decoded = run.report.flatMap { try? JSONDecoder().decode(DrillReport.self, from: Data($0.utf8)) }
            passed = decoded.map { $0.expectations.filter { $0.status == "pass" }.count }
            failed = decoded.map { $0.expectations.filter { $0.status != "pass" }.count }
            report = withReport ? decoded : nil
        }
    }

    struct RunList: ResponseEncodable { var drills: [RunView] }

    static func newID(now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        let suffix = (0..<4).map { _ in String(UInt8.random(in: 0...15), radix: 16) }.joined()
        return "drill-\(stamp)-\(suffix)"
    }

    @Sendable func start(request: Request, context: YujingRequestContext) async throws -> Response {
        let caller = try context.require(Self.runners)
        let body = try await ResponseController.body(StartBody.self, request)
        let mode = body.mode ?? "inject"
        guard ["inject", "tabletop", "live"].contains(mode) else {
            throw HTTPError(.badRequest, message: "mode: inject, tabletop or live")
        }
        if mode == "live", caller.role != .ops {
            throw HTTPError(.forbidden, message: "a live drill is started with an ops token (and approved by datacenter)")
        }
        var datasets: [DatasetRecord] = []
        for entry in body.datasets ?? [] {
            guard entry.id.hasPrefix("drill-") else {
                throw HTTPError(.badRequest, message: "datasets: drill dataset ids start with 'drill-'")
            }
            datasets.append(
                DatasetRecord(
                    id: entry.id, title: entry.title ?? entry.id, ownerAgency: entry.owner_agency ?? "drill",
                    openCategory: entry.open_category ?? .unconditional))
        }
        let now = Date()
        let id = Self.newID(now: now)
        let millis = Int64(now.timeIntervalSince1970 * 1000)
        try WarningsController.store {
            try database.startDrill(
                DrillRunRecord(
                    id: id, runbook: body.runbook, title: body.title, mode: mode, startedBy: caller.name,
                    startedMillis: millis), datasets: datasets, nowMillis: millis)
        }
        if !datasets.isEmpty { await pipeline.refreshScope() }
        var response = try Started(id: id, started_at: WarningView.time(millis)).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func finish(request: Request, context: YujingRequestContext) async throws -> RunView {
        let caller = try context.require(Self.runners)
        let id = try context.parameters.require("id")
        let body = try await ResponseController.body(FinishBody.self, request, limit: 4 << 20)
        guard ["passed", "failed", "aborted"].contains(body.status) else {
            throw HTTPError(.badRequest, message: "status: passed, failed or aborted")
        }
        let report = String(decoding: body.report.json(), as: UTF8.self)
        try WarningsController.store {
            try database.finishDrill(
                id: id, status: body.status, report: report, actor: caller.name,
                nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
        }
        await pipeline.endDrill(id)
        await pipeline.refreshScope()
        guard let run = try WarningsController.store({ try database.drillRun(id: id) }) else {
            throw HTTPError(.notFound, message: "drill \(id) not found")
        }
        return RunView(run, withReport: false)
    }

    @Sendable func approve(request: Request, context: YujingRequestContext) async throws -> RunView {
        let caller = try context.require([.datacenter])
        let id = try context.parameters.require("id")
        try WarningsController.store {
            try database.approveLiveDrill(id: id, actor: caller.name, nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
        }
        guard let run = try WarningsController.store({ try database.drillRun(id: id) }) else {
            throw HTTPError(.notFound, message: "drill \(id) not found")
        }
        return RunView(run, withReport: false)
    }

    @Sendable func list(request: Request, context: YujingRequestContext) async throws -> RunList {
        _ = try context.require(.readers)
        return RunList(drills: try WarningsController.store { try database.drillRuns() }.map { RunView($0, withReport: false) })
    }

    @Sendable func show(request: Request, context: YujingRequestContext) async throws -> RunView {
        _ = try context.require(.readers)
        let id = try context.parameters.require("id")
        guard let run = try WarningsController.store({ try database.drillRun(id: id) }) else {
            throw HTTPError(.notFound, message: "drill \(id) not found")
        }
        return RunView(run, withReport: true)
    }

    @Sendable func html(request: Request, context: YujingRequestContext) async throws -> Response {
        _ = try context.require(.readers)
        let id = try context.parameters.require("id")
        guard let run = try WarningsController.store({ try database.drillRun(id: id) }),
            let text = run.report, let report = try? JSONDecoder().decode(DrillReport.self, from: Data(text.utf8))
        else {
            throw HTTPError(.notFound, message: "no report for drill \(id)")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: report.html())))
    }
}
