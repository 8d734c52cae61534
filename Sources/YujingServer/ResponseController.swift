import Foundation
import Hummingbird
import NIOCore
import YujingCore
import YujingResponse
import YujingRules
import YujingStore

/// `/api/v1` response endpoints: catalogue, withdrawals, traceback, restrictions, and the agents' enforcement
/// document and reports.
struct ResponseController {
    let database: YujingDatabase
    let responder: Responder
    let pipeline: Pipeline
    /// The center's addresses, whose verification requests stay out of tracebacks.
    var probeAddresses: [String] = ["127.0.0.1", "::1"]

    static let withdrawers: Set<TokenRole> = .withdrawers
    static let proposers: Set<TokenRole> = .proposers
    static let tracers: Set<TokenRole> = .tracers

    func addRoutes(to group: RouterGroup<YujingRequestContext>) {
        group.get("datasets", use: listDatasets)
        group.put("datasets/{id}", use: putDataset)
        group.get("datasets/{id}/traceback", use: traceback)
        group.get("subjects/{kind}/{id}/activity", use: activity)
        group.get("applications", use: listApplications)
        group.post("applications", use: addApplications)
        group.get("withdrawals", use: listWithdrawals)
        group.post("withdrawals", use: createWithdrawal)
        group.get("withdrawals/{id}", use: showWithdrawal)
        group.post("withdrawals/{id}/approve", use: approveWithdrawal)
        group.post("withdrawals/{id}/cancel", use: cancelWithdrawal)
        group.post("withdrawals/{id}/restore", use: restoreWithdrawal)
        group.get("restrictions", use: listRestrictions)
        group.post("restrictions", use: createRestriction)
        group.get("restrictions/{id}", use: showRestriction)
        group.post("restrictions/{id}/approve", use: approveRestriction)
        group.post("restrictions/{id}/lift", use: liftRestriction)
        group.get("enforcement", use: enforcement)
        group.post("enforcement/report", use: enforcementReport)
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func body<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int = 1 << 20) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: "body: \(DecodingErrorText.describe(error))")
        } catch {
            throw HTTPError(.badRequest, message: "body: invalid JSON")
        }
    }

    /// Maps responder and store errors to HTTP errors.
    static func run<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            return try WarningsController.store { throw error }
        }
    }

    static func time(_ text: String?, field: String) throws -> Int64? {
        guard let text else { return nil }
        guard let millis = CatalogueFile.millis(text) else {
            throw HTTPError(.badRequest, message: "\(field): expected RFC 3339 time or YYYY-MM-DD")
        }
        return millis
    }

    // MARK: Catalogue

    struct DatasetBody: Decodable {
        var title: String
        var owner_agency: String
        var open_category: OpenCategory
        var url_patterns: [String]?
        var file_paths: [String]?
        var public_url: String?
    }

    struct DatasetView: ResponseEncodable {
        var id: String
        var title: String
        var owner_agency: String
        var open_category: String
        var url_patterns: [String]
        var file_paths: [String]
        var public_url: String?

        init(_ d: DatasetRecord) {
            id = d.id
            title = d.title
            owner_agency = d.ownerAgency
            open_category = d.openCategory.rawValue
            url_patterns = d.urlPatterns
            file_paths = d.filePaths
            public_url = d.publicURL
        }
    }

    struct DatasetList: ResponseEncodable { var datasets: [DatasetView] }

    @Sendable func listDatasets(request: Request, context: YujingRequestContext) async throws -> DatasetList {
        _ = try context.require(.readers)
        return DatasetList(
            datasets: try WarningsController.store { try database.datasets(includeDrills: false) }.map(DatasetView.init))
    }

    @Sendable func putDataset(request: Request, context: YujingRequestContext) async throws -> DatasetView {
        let caller = try context.require(Self.withdrawers)
        let id = try context.parameters.require("id")
        let body = try await Self.body(DatasetBody.self, request)
        let record = DatasetRecord(
            id: id, title: body.title, ownerAgency: body.owner_agency, openCategory: body.open_category,
            urlPatterns: body.url_patterns ?? [], filePaths: body.file_paths ?? [], publicURL: body.public_url)
        try WarningsController.store {
            try database.upsertDataset(record)
            try database.audit(
                actor: caller.name, action: "catalogue.dataset", target: "dataset:\(id)",
                detail: "category=\(record.openCategory.rawValue)", nowMillis: Self.now())
        }
        await pipeline.refreshScope()
        return DatasetView(record)
    }

    struct ApplicationBody: Decodable {
        var subject: String
        var dataset: String
        var purpose: String
        var scenario: String?
        var valid_from: String
        var valid_to: String
    }

    struct ApplicationView: Encodable {
        var subject: String
        var dataset: String
        var purpose: String
        var scenario: String?
        var valid_from: String
        var valid_to: String
    }

    struct ApplicationList: ResponseEncodable { var applications: [ApplicationView] }

    @Sendable func listApplications(request: Request, context: YujingRequestContext) async throws -> ApplicationList {
        _ = try context.require(.readers)
        let all = try WarningsController.store { try database.applications() }
        return ApplicationList(
            applications: all.map {
                ApplicationView(
                    subject: $0.subject, dataset: $0.dataset, purpose: $0.purpose, scenario: $0.scenario,
                    valid_from: WarningView.time($0.validFromMillis), valid_to: WarningView.time($0.validToMillis))
            })
    }

    struct Count: ResponseEncodable { var added: Int }

    /// Adds approved applications: a JSON list of objects, or CSV (`text/csv`) with the header
    /// `subject,dataset,purpose,scenario,valid_from,valid_to`. The whole body is rejected on the first bad entry.
    @Sendable func addApplications(request: Request, context: YujingRequestContext) async throws -> Count {
        let caller = try context.require(Self.withdrawers)
        var entries: [ApplicationBody]
        if request.headers[.contentType]?.hasPrefix("text/csv") == true {
            var request = request
            let buffer = try await request.collectBody(upTo: 8 << 20)
            entries = try Self.parseApplicationsCSV(String(decoding: buffer.readableBytesView, as: UTF8.self))
        } else {
            entries = try await Self.body([ApplicationBody].self, request, limit: 8 << 20)
        }
        var applications: [ApprovedApplication] = []
        for (index, entry) in entries.enumerated() {
            guard let from = CatalogueFile.millis(entry.valid_from),
                let to = CatalogueFile.millis(entry.valid_to, endOfDay: true), to > from
            else {
                throw HTTPError(.badRequest, message: "[\(index)]: valid_from/valid_to must be days or RFC 3339 times, from < to")
            }
            applications.append(
                ApprovedApplication(
                    subject: entry.subject, dataset: entry.dataset, purpose: entry.purpose, scenario: entry.scenario,
                    validFromMillis: from, validToMillis: to))
        }
        try WarningsController.store {
            for application in applications { try database.addApplication(application) }
            try database.audit(
                actor: caller.name, action: "catalogue.applications", target: "applications",
                detail: "count=\(applications.count)", nowMillis: Self.now())
        }
        await pipeline.refreshScope()
        return Count(added: applications.count)
    }

    static func parseApplicationsCSV(_ text: String) throws -> [ApplicationBody] {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard let header = lines.first?.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }),
            header == ["subject", "dataset", "purpose", "scenario", "valid_from", "valid_to"]
        else {
            throw HTTPError(
                .badRequest, message: "CSV header must be subject,dataset,purpose,scenario,valid_from,valid_to")
        }
        lines.removeFirst()
        return try lines.enumerated().map { index, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count == 6, !fields[0].isEmpty, !fields[1].isEmpty, !fields[2].isEmpty else {
                throw HTTPError(.badRequest, message: "CSV line \(index + 2): expected 6 fields")
            }
            return ApplicationBody(
                subject: fields[0], dataset: fields[1], purpose: fields[2], scenario: fields[3].isEmpty ? nil : fields[3],
                valid_from: fields[4], valid_to: fields[5])
        }
    }

    // MARK: Traceback

    @Sendable func traceback(request: Request, context: YujingRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        // Drill runners may read a drill's own (synthetic) traceback; real tracebacks stay with the tracer roles.
        _ = try context.require(query["drill"] == nil ? Self.tracers : Self.tracers.union(DrillsController.runners))
        let id = try context.parameters.require("id")
        let dataset = try WarningsController.store { try database.dataset(id: id) }
        var since = try Self.time(query["since"].map(String.init), field: "since")
        if since == nil {
            let drill = query["drill"].map(String.init)
            since = try WarningsController.store {
                try database.withdrawals(dataset: id, includeDrills: false, drill: drill, limit: 1).first?.sinceMillis
            }
        }
        guard let sinceMillis = since else {
            throw HTTPError(.badRequest, message: "since: required when the dataset has no withdrawal")
        }
        let until = try Self.time(query["until"].map(String.init), field: "until")
        let drill = query["drill"].map(String.init)
        let rows = try WarningsController.store {
            try database.traceback(
                dataset: id, sinceMillis: sinceMillis, untilMillis: until, drill: drill, probeAddresses: probeAddresses)
        }
        let views = rows.map(TracebackView.init)
        let wantsCSV =
            query["format"] == "csv" || (request.headers[.accept]?.contains("text/csv") ?? false)
        if wantsCSV {
            var text = TracebackView.csvHeader + "\r\n"
            for view in views { text += view.csvLine + "\r\n" }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"traceback-\(id).csv\"",
                ], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let document = TracebackDocument(
            dataset: id, title: dataset?.title, owner_agency: dataset?.ownerAgency,
            since: WarningView.time(sinceMillis), until: WarningView.time(until ?? Self.now()),
            subjects: Set(rows.map { "\($0.subjectKind):\($0.subject)" }).count,
            requests: rows.reduce(0) { $0 + $1.count }, bytes: rows.reduce(0) { $0 + $1.bytes }, rows: views)
        return try document.response(from: request, context: context)
    }

    // MARK: Activity

    /// The subject kinds an activity query takes: those of ``Subject/Kind``, and `ip` for requests with no subject.
    static let activityKinds: Set<String> = Set(Subject.Kind.allCases.map(\.rawValue)).union(["ip"])

    /// What one data user (or client address) requested since a time (default: the last 7 days), per dataset and
    /// channel: the investigator's reverse of the traceback (Art. 18).
    @Sendable func activity(request: Request, context: YujingRequestContext) async throws -> ActivityDocument {
        _ = try context.require(Self.tracers)
        let kind = try context.parameters.require("kind")
        guard Self.activityKinds.contains(kind) else {
            throw HTTPError(
                .badRequest, message: "kind: expected one of \(Self.activityKinds.sorted().joined(separator: ", "))")
        }
        // Path parameters arrive percent-encoded (query parameters are decoded by Hummingbird).
        let raw = try context.parameters.require("id")
        let id = raw.removingPercentEncoding ?? raw
        let query = request.uri.queryParameters
        let now = Self.now()
        let until = try Self.time(query["until"].map(String.init), field: "until") ?? now
        let since = try Self.time(query["since"].map(String.init), field: "since") ?? until - 7 * 86_400_000
        guard since <= until else { throw HTTPError(.badRequest, message: "since: after until") }
        let rows = try WarningsController.store {
            try database.activity(subjectKind: kind, subject: id, sinceMillis: since, untilMillis: until)
        }
        return ActivityDocument(
            subject_kind: kind, subject: id, since: WarningView.time(since), until: WarningView.time(until),
            datasets: Set(rows.compactMap(\.dataset)).count, requests: rows.reduce(0) { $0 + $1.count },
            bytes: rows.reduce(0) { $0 + $1.bytes }, rows: rows.map(ActivityView.init))
    }

    // MARK: Withdrawals

    struct WithdrawalList: ResponseEncodable { var withdrawals: [WithdrawalView] }

    struct WithdrawBody: Decodable {
        var dataset: String
        var reason: String
        var warning_id: Int64?
        var since: String?
    }

    struct Comment: Decodable { var comment: String? }

    @Sendable func listWithdrawals(request: Request, context: YujingRequestContext) async throws -> WithdrawalList {
        _ = try context.require(.readers)
        let query = request.uri.queryParameters
        var states: Set<WithdrawalState> = []
        if let text = query["state"] {
            for part in text.split(separator: ",") {
                guard let state = WithdrawalState(rawValue: String(part)) else {
                    throw HTTPError(.badRequest, message: "state: unknown '\(part)'")
                }
                states.insert(state)
            }
        }
        let dataset = query["dataset"].map(String.init)
        let drill = query["drill"].map(String.init)
        let rows = try WarningsController.store {
            try database.withdrawals(states: states, dataset: dataset, includeDrills: false, drill: drill)
        }
        return WithdrawalList(withdrawals: rows.map { WithdrawalView($0) })
    }

    @Sendable func createWithdrawal(request: Request, context: YujingRequestContext) async throws -> Response {
        let caller = try context.require(Self.withdrawers)
        let body = try await Self.body(WithdrawBody.self, request)
        guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HTTPError(.badRequest, message: "reason: required")
        }
        let since = try Self.time(body.since, field: "since")
        let withdrawal = try await Self.run {
            try await responder.withdraw(
                dataset: body.dataset, reason: body.reason, actor: caller.name, warningID: body.warning_id,
                sinceMillis: since)
        }
        var response = try WithdrawalView(withdrawal).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func showWithdrawal(request: Request, context: YujingRequestContext) async throws -> WithdrawalView {
        _ = try context.require(.readers)
        let id = try context.parameters.require("id", as: Int64.self)
        guard let withdrawal = try WarningsController.store({ try database.withdrawal(id: id) }) else {
            throw HTTPError(.notFound, message: "withdrawal \(id) not found")
        }
        return WithdrawalView(withdrawal, history: try WarningsController.store { try database.withdrawalHistory(id: id) })
    }

    func withdrawalAction(
        _ request: Request, _ context: YujingRequestContext,
        _ action: @Sendable (Int64, String, String) async throws -> WithdrawalRecord
    ) async throws -> WithdrawalView {
        let caller = try context.require(Self.withdrawers)
        let id = try context.parameters.require("id", as: Int64.self)
        let comment = try await WarningsController.decodeOptional(Comment.self, request: request, context: context)
        let record = try await Self.run { try await action(id, caller.name, comment?.comment ?? "") }
        return WithdrawalView(record)
    }

    @Sendable func approveWithdrawal(request: Request, context: YujingRequestContext) async throws -> WithdrawalView {
        try await withdrawalAction(request, context) { try await responder.approveWithdrawal(id: $0, actor: $1, comment: $2) }
    }

    @Sendable func cancelWithdrawal(request: Request, context: YujingRequestContext) async throws -> WithdrawalView {
        try await withdrawalAction(request, context) { try await responder.cancelWithdrawal(id: $0, actor: $1, comment: $2) }
    }

    @Sendable func restoreWithdrawal(request: Request, context: YujingRequestContext) async throws -> WithdrawalView {
        try await withdrawalAction(request, context) { try await responder.restoreWithdrawal(id: $0, actor: $1, comment: $2) }
    }

    // MARK: Restrictions

    struct RestrictionList: ResponseEncodable { var restrictions: [RestrictionView] }

    struct RestrictBody: Decodable {
        var subject_kind: RestrictedSubjectKind
        var subject: String
        var measure: RestrictionMeasure
        var ground: Int
        var reason: String
        var duration_seconds: Int?
        var rate_per_minute: Int?
        var warning_id: Int64?
    }

    struct LiftBody: Decodable { var reason: String? }

    @Sendable func listRestrictions(request: Request, context: YujingRequestContext) async throws -> RestrictionList {
        _ = try context.require(.readers)
        var states: Set<RestrictionState> = []
        if let text = request.uri.queryParameters["state"] {
            for part in text.split(separator: ",") {
                guard let state = RestrictionState(rawValue: String(part)) else {
                    throw HTTPError(.badRequest, message: "state: unknown '\(part)'")
                }
                states.insert(state)
            }
        }
        let drill = request.uri.queryParameters["drill"].map(String.init)
        let rows = try WarningsController.store {
            try database.restrictions(states: states, includeDrills: false, drill: drill)
        }
        return RestrictionList(restrictions: rows.map(RestrictionView.init))
    }

    @Sendable func createRestriction(request: Request, context: YujingRequestContext) async throws -> Response {
        let caller = try context.require(Self.proposers)
        let body = try await Self.body(RestrictBody.self, request)
        guard let ground = Article26Ground(rawValue: body.ground) else {
            throw HTTPError(.badRequest, message: "ground: expected the Art. 26 case 1, 2, 3 or 4")
        }
        guard !body.subject.isEmpty, !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HTTPError(.badRequest, message: "subject and reason are required")
        }
        if body.subject_kind == .ip || body.subject_kind == .cidr {
            guard CIDRBlockText.valid(body.subject, block: body.subject_kind == .cidr) else {
                throw HTTPError(.badRequest, message: "subject: not a valid \(body.subject_kind.rawValue)")
            }
        }
        if body.measure == .suspend, (body.duration_seconds ?? 0) <= 0 {
            throw HTTPError(.badRequest, message: "duration_seconds: a suspend needs a duration > 0")
        }
        if body.measure == .throttle, (body.rate_per_minute ?? 0) <= 0 {
            throw HTTPError(.badRequest, message: "rate_per_minute: a throttle needs a rate > 0")
        }
        let record = try await Self.run {
            try await responder.restrict(
                kind: body.subject_kind, subject: body.subject, measure: body.measure, ground: ground,
                reason: body.reason, durationMillis: body.duration_seconds.map { Int64($0) * 1000 },
                ratePerMinute: body.rate_per_minute, escalation: nil, warningID: body.warning_id, plan: nil,
                needsApproval: body.measure == .close, actor: caller.name)
        }
        guard let record else {
            throw HTTPError(
                .conflict, message: "not restricted: the subject is allow-listed or already under an equal or harder measure")
        }
        var response = try RestrictionView(record).response(from: request, context: context)
        response.status = .created
        return response
    }

    @Sendable func showRestriction(request: Request, context: YujingRequestContext) async throws -> RestrictionView {
        _ = try context.require(.readers)
        let id = try context.parameters.require("id", as: Int64.self)
        guard let record = try WarningsController.store({ try database.restriction(id: id) }) else {
            throw HTTPError(.notFound, message: "restriction \(id) not found")
        }
        return RestrictionView(record)
    }

    @Sendable func approveRestriction(request: Request, context: YujingRequestContext) async throws -> RestrictionView {
        let caller = try context.require(Self.withdrawers)
        let id = try context.parameters.require("id", as: Int64.self)
        return RestrictionView(try await Self.run { try await responder.approveRestriction(id: id, actor: caller.name) })
    }

    @Sendable func liftRestriction(request: Request, context: YujingRequestContext) async throws -> RestrictionView {
        let caller = try context.require(Self.proposers)
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await WarningsController.decodeOptional(LiftBody.self, request: request, context: context)
        return RestrictionView(
            try await Self.run {
                try await responder.liftRestriction(id: id, actor: caller.name, reason: body?.reason ?? "lifted")
            })
    }

    // MARK: Agents

    @Sendable func enforcement(request: Request, context: YujingRequestContext) async throws -> Response {
        _ = try context.require(.ingesters)
        let document = try await Self.run { try await responder.enforcementDocument() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(document)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct Recorded: ResponseEncodable { var status = "recorded" }

    @Sendable func enforcementReport(request: Request, context: YujingRequestContext) async throws -> Recorded {
        _ = try context.require(.ingesters)
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        let data = Data(buffer.readableBytesView)
        let report: EnforcementReport
        do {
            report = try JSONDecoder().decode(EnforcementReport.self, from: data)
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: "report: \(DecodingErrorText.describe(error))")
        }
        try await Self.run { try await responder.record(report, raw: String(decoding: data, as: UTF8.self)) }
        return Recorded()
    }
}

/// Validation of address subjects.
enum CIDRBlockText {
    static func valid(_ text: String, block: Bool) -> Bool {
        if !block, text.contains("/") { return false }
        if block, !text.contains("/") { return false }
        return CIDRBlock(text) != nil
    }
}
