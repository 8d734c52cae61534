import Foundation
import Hummingbird
import NIOCore
import YujingResponse
import YujingServer
import YujingStore

extension ConsoleController {
    func withdrawalRow(_ w: WithdrawalRecord, session: ConsoleSession, language: ConsoleLanguage) -> [String: Any] {
        let may = session.may(.withdrawers)
        var adapter = "\(w.adapterStatus) (\(w.adapterAttempts))"
        if let error = w.adapterError { adapter += ": \(error)" }
        var verification = w.verificationStatus
        if let detail = w.verificationDetail { verification += " — \(detail)" }
        if let checked = w.verifiedMillis { verification += " @ \(Self.time(checked))" }
        var row: [String: Any] = [
            "id": w.id, "dataset": w.dataset, "state": w.state.rawValue,
            "stateLabel": ConsoleStrings.text("wstate_\(w.state.rawValue)", language), "reason": w.reason,
            "requestedBy": w.requestedBy, "approvedBy": w.approvedBy ?? "—", "adapter": adapter,
            "verification": verification, "updated": Self.time(w.updatedMillis),
            "canApprove": may && w.state == .proposed,
            "canCancel": may && (w.state == .proposed || w.state == .approved),
            "canRestore": may && w.state == .redesensitized,
        ]
        if let drill = w.drill { row["drill"] = drill }
        if session.may(.tracers) {
            row["tracebackURL"] = Self.tracebackURL(dataset: w.dataset, sinceMillis: w.sinceMillis)
        }
        return row
    }

    static func tracebackURL(dataset: String, sinceMillis: Int64) -> String {
        "/console/traceback?dataset=\(FormBody.encode(dataset))&since=\(FormBody.encode(time(sinceMillis)))"
    }

    func restrictionRow(_ r: RestrictionRecord, session: ConsoleSession, language: ConsoleLanguage) -> [String: Any] {
        let measure = language == .en ? r.measure.rawValue : "\(r.measure.chineseName) (\(r.measure.rawValue))"
        var row: [String: Any] = [
            "id": r.id, "subject": "\(r.subjectKind.rawValue):\(r.subject)", "measure": measure,
            "state": r.state.rawValue, "stateLabel": ConsoleStrings.text("rstate_\(r.state.rawValue)", language),
            "ground": language == .en ? r.ground.text : r.ground.chineseText, "reason": r.reason,
            "from": Self.time(r.startsMillis), "until": Self.time(r.endedMillis ?? r.untilMillis),
            "requestedBy": r.requestedBy,
            "canApprove": session.may(.withdrawers) && r.state == .proposed,
            "canLift": session.may(.proposers) && (r.state == .active || r.state == .proposed),
        ]
        if let warning = r.warningID { row["warningID"] = warning }
        if let drill = r.drill { row["drill"] = drill }
        return row
    }

    @Sendable func withdrawalsPage(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .readers, current: "withdrawals") { session, language in
            let all = try database.withdrawals(limit: 500)
            let open: Set<WithdrawalState> = [.proposed, .approved, .executing]
            func rows(_ list: [WithdrawalRecord]) -> [String: Any] {
                ["withdrawals": list.map { withdrawalRow($0, session: session, language: language) }]
            }
            return page(
                request, session: session, language: language, current: "withdrawals", template: "withdrawals",
                context: [
                    "queue": rows(all.filter { open.contains($0.state) }),
                    "others": rows(all.filter { !open.contains($0.state) }),
                ])
        }
    }

    @Sendable func withdrawalAction(request: Request, context: YujingRequestContext) async throws -> Response {
        let id = context.parameters.get("id", as: Int64.self)
        let verb = context.parameters.get("action") ?? ""
        return await action(request, roles: .withdrawers) { session, form in
            guard let id else { throw ConsoleError.notFound }
            let comment = form["comment"] ?? ""
            switch verb {
            case "approve": _ = try await responder.approveWithdrawal(id: id, actor: session.name, comment: comment)
            case "cancel": _ = try await responder.cancelWithdrawal(id: id, actor: session.name, comment: comment)
            case "restore": _ = try await responder.restoreWithdrawal(id: id, actor: session.name, comment: comment)
            default: throw ConsoleError.notFound
            }
        }
    }

    @Sendable func restrictionsPage(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .readers, current: "restrictions") { session, language in
            let all = try database.restrictions(limit: 500)
            func rows(_ list: [RestrictionRecord]) -> [String: Any] {
                ["restrictions": list.map { restrictionRow($0, session: session, language: language) }]
            }
            return page(
                request, session: session, language: language, current: "restrictions", template: "restrictions",
                context: [
                    "pending": rows(all.filter { $0.state == .proposed }),
                    "active": rows(all.filter { $0.state == .active }),
                    "ended": rows(all.filter { $0.state != .proposed && $0.state != .active }),
                ])
        }
    }

    @Sendable func restrictionAction(request: Request, context: YujingRequestContext) async throws -> Response {
        let id = context.parameters.get("id", as: Int64.self)
        let verb = context.parameters.get("action") ?? ""
        let roles: Set<TokenRole> = verb == "lift" ? .proposers : .withdrawers
        return await action(request, roles: roles) { session, form in
            guard let id else { throw ConsoleError.notFound }
            switch verb {
            case "approve": _ = try await responder.approveRestriction(id: id, actor: session.name)
            case "lift":
                let reason = form["comment"].flatMap { $0.isEmpty ? nil : $0 } ?? "lifted in the console"
                _ = try await responder.liftRestriction(id: id, actor: session.name, reason: reason)
            default: throw ConsoleError.notFound
            }
        }
    }

    // MARK: Traceback

    /// RFC 3339 time or `YYYY-MM-DD` (UTC midnight).
    static func millis(_ text: String?) -> Int64? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return Int64(date.timeIntervalSince1970 * 1000) }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return Int64(date.timeIntervalSince1970 * 1000)
        }
        if let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) {
            return Int64(date.timeIntervalSince1970 * 1000)
        }
        return nil
    }

    struct Trace {
        var dataset: String
        var title: String?
        var sinceMillis: Int64
        var untilMillis: Int64?
        var rows: [TracebackRow]
    }

    /// Runs the traceback a query asks for; nil when no dataset was given.
    func trace(_ request: Request, language: ConsoleLanguage) throws -> Trace? {
        let query = request.uri.queryParameters
        guard let dataset = query["dataset"].map(String.init)?.trimmingCharacters(in: .whitespaces),
            !dataset.isEmpty
        else { return nil }
        let sinceText = query["since"].map(String.init) ?? ""
        var since = Self.millis(sinceText)
        if !sinceText.isEmpty, since == nil {
            throw ConsoleError.rejected(status: 400, message: "since: expected RFC 3339 time or YYYY-MM-DD")
        }
        if since == nil {
            since = try database.withdrawals(dataset: dataset, includeDrills: false, limit: 1).first?.sinceMillis
        }
        guard let sinceMillis = since else {
            throw ConsoleError.rejected(status: 400, message: ConsoleStrings.text("since_required", language))
        }
        let until = Self.millis(query["until"].map(String.init))
        let rows = try database.traceback(dataset: dataset, sinceMillis: sinceMillis, untilMillis: until)
        return Trace(
            dataset: dataset, title: try database.dataset(id: dataset)?.title, sinceMillis: sinceMillis,
            untilMillis: until, rows: rows)
    }

    @Sendable func tracebackPage(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .tracers, current: "traceback") { session, language in
            let query = request.uri.queryParameters
            var values: [String: Any] = [
                "dataset": query["dataset"].map(String.init) ?? "", "since": query["since"].map(String.init) ?? "",
                "until": query["until"].map(String.init) ?? "",
                "datasets": try database.datasets().map(\.id),
            ]
            do {
                if let trace = try trace(request, language: language) {
                    var csv = "/console/traceback.csv?dataset=\(FormBody.encode(trace.dataset))"
                    csv += "&since=\(FormBody.encode(Self.time(trace.sinceMillis)))"
                    if let until = trace.untilMillis { csv += "&until=\(FormBody.encode(Self.time(until)))" }
                    values["result"] = [
                        "dataset": trace.dataset, "title": trace.title ?? "", "since": Self.time(trace.sinceMillis),
                        "until": Self.time(trace.untilMillis ?? Self.now()),
                        "subjects": Set(trace.rows.map { "\($0.subjectKind):\($0.subject)" }).count,
                        "requests": trace.rows.reduce(0) { $0 + $1.count },
                        "bytes": trace.rows.reduce(Int64(0)) { $0 + $1.bytes }, "csvURL": csv,
                        "rows": trace.rows.map { row -> [String: Any] in
                            ["subject": "\(row.subjectKind):\(row.subject)", "channel": row.channel, "count": row.count,
                             "first": Self.time(row.firstMillis), "last": Self.time(row.lastMillis), "bytes": row.bytes,
                             "addresses": row.addresses]
                        },
                    ] as [String: Any]
                }
            } catch ConsoleError.rejected(_, let message) {
                values["problem"] = message
            }
            return page(
                request, session: session, language: language, current: "traceback", template: "traceback",
                context: values)
        }
    }

    /// The same CSV as `GET /api/v1/datasets/{id}/traceback?format=csv`, for the signed-in browser.
    @Sendable func tracebackCSV(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .tracers, current: "traceback") { _, language in
            guard let trace = try trace(request, language: language) else {
                throw ConsoleError.rejected(status: 400, message: "dataset: required")
            }
            var text = "subject_kind,subject,channel,count,first,last,bytes,addresses\r\n"
            for row in trace.rows {
                text += [
                    row.subjectKind, row.subject, row.channel, String(row.count), Self.time(row.firstMillis),
                    Self.time(row.lastMillis), String(row.bytes), String(row.addresses),
                ].map(Self.csvField).joined(separator: ",") + "\r\n"
            }
            let name = trace.dataset.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"traceback-\(name).csv\"", .cacheControl: "no-store",
                ], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// RFC 4180 quoting, and a leading `'` against formula injection in spreadsheets.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
