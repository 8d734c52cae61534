import Crypto
import Foundation
import Hummingbird
import NIOCore
import YujingCore
import YujingServer
import YujingStore

extension ConsoleController {
    /// The board's filters from the query; an unknown level or state is ignored (shown as "any").
    static func filter(_ request: Request) -> (WarningFilter, query: String, values: [String: String]) {
        let query = request.uri.queryParameters
        var filter = WarningFilter()
        var values: [String: String] = [:]
        var parts: [String] = []
        func text(_ name: String) -> String? {
            guard let value = query[name[...]].map(String.init)?.trimmingCharacters(in: .whitespaces), !value.isEmpty
            else { return nil }
            return value
        }
        if let level = text("level").flatMap(WarningLevel.parse) {
            filter.level = level
            values["level"] = level.rawValue
        }
        if let state = text("state").flatMap(WarningState.init(rawValue:)) {
            filter.state = state
            values["state"] = state.rawValue
        }
        filter.rule = text("rule")
        filter.dataset = text("dataset")
        filter.subject = text("subject")
        values["rule"] = filter.rule
        values["dataset"] = filter.dataset
        values["subject"] = filter.subject
        filter.limit = 500
        for name in ["level", "state", "rule", "dataset", "subject"] {
            if let value = values[name] { parts.append("\(name)=\(FormBody.encode(value))") }
        }
        return (filter, parts.joined(separator: "&"), values)
    }

    func warningRow(_ w: WarningRecord, session: ConsoleSession, language: ConsoleLanguage) -> [String: Any] {
        let handler = session.may(.handlers)
        var row: [String: Any] = [
            "id": w.id, "level": w.level.rawValue,
            "levelLabel": ConsoleStrings.text("level_\(w.level.rawValue)", language), "title": w.title,
            "rule": w.rule, "state": w.state.rawValue,
            "stateLabel": ConsoleStrings.text("state_\(w.state.rawValue)", language), "count": w.count,
            "dataset": w.dataset ?? "—", "subject": w.subject ?? "—", "lastSeen": Self.time(w.lastSeenMillis),
            "firstSeen": Self.time(w.firstSeenMillis), "canAck": handler && w.state == .firing,
            "canResolve": handler && w.state != .resolved,
            "canSilence": handler && w.state != .resolved && w.state != .silenced,
        ]
        if let inhibitor = w.inhibitedBy { row["inhibitedBy"] = inhibitor }
        return row
    }

    func boardValues(_ request: Request, session: ConsoleSession, language: ConsoleLanguage) throws -> [String: Any] {
        let (filter, query, selected) = Self.filter(request)
        let warnings = try database.warnings(filter)
        let rows = warnings.map { warningRow($0, session: session, language: language) }
        var digest = SHA256()
        for w in warnings {
            digest.update(data: Data("\(w.id):\(w.state):\(w.count):\(w.lastSeenMillis):\(w.level);".utf8))
        }
        let stamp = digest.finalize().prefix(12).map { String(format: "%02x", $0) }.joined()
        var values: [String: Any] = selected
        values["warnings"] = rows
        values["query"] = query
        values["stamp"] = stamp
        values["back"] = "/console/warnings" + (query.isEmpty ? "" : "?" + query)
        values["canHandle"] = session.may(.handlers)
        values["csrf"] = session.csrf
        values["generated"] = Self.time(Self.now())
        values["levels"] = WarningLevel.allCases.map { level -> [String: Any] in
            ["value": level.rawValue, "label": ConsoleStrings.text("level_\(level.rawValue)", language),
             "selected": selected["level"] == level.rawValue]
        }
        values["states"] = WarningState.allCases.map { state -> [String: Any] in
            ["value": state.rawValue, "label": ConsoleStrings.text("state_\(state.rawValue)", language),
             "selected": selected["state"] == state.rawValue]
        }
        return values
    }

    @Sendable func warningsPage(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .readers, current: "warnings") { session, language in
            page(
                request, session: session, language: language, current: "warnings", template: "warnings",
                context: try boardValues(request, session: session, language: language))
        }
    }

    struct LiveDocument: Encodable {
        var stamp: String
        var generated: String
        var count: Int
        var html: String
    }

    /// The board's rows as a small JSON document for the polling script.
    @Sendable func warningsLive(request: Request, context: YujingRequestContext) async throws -> Response {
        let language = Self.language(request)
        guard let session = await currentSession(request) else {
            return Response(status: .unauthorized, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"not signed in"}"#)))
        }
        guard session.may(.readers) else { return Response(status: .forbidden) }
        var values = try boardValues(request, session: session, language: language)
        values["t"] = ConsoleStrings.labels(language)
        let document = LiveDocument(
            stamp: values["stamp"] as? String ?? "", generated: values["generated"] as? String ?? "",
            count: (values["warnings"] as? [[String: Any]])?.count ?? 0,
            html: renderer.render("warning_rows", values))
        let data = try JSONEncoder().encode(document)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func warningPage(request: Request, context: YujingRequestContext) async throws -> Response {
        await guarded(request, roles: .readers, current: "warnings") { session, language in
            guard let id = context.parameters.get("id", as: Int64.self), let w = try database.warning(id: id) else {
                throw ConsoleError.notFound
            }
            var row = warningRow(w, session: session, language: language)
            row["evidence"] = w.evidence
            row["labels"] = w.labels.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] }
            row["annotations"] = w.annotations.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": $0.value] }
            if let dataset = w.dataset, session.may(.tracers) {
                row["tracebackURL"] = Self.tracebackURL(dataset: dataset, sinceMillis: w.firstSeenMillis)
            }
            let history = try database.warningHistory(id: id).map { h -> [String: Any] in
                ["time": Self.time(h.timeMillis), "action": h.action, "author": h.author, "level": h.level.rawValue,
                 "state": ConsoleStrings.text("state_\(h.state.rawValue)", language), "comment": h.comment ?? ""]
            }
            var findings: [[String: Any]] = []
            var withdrawals: [[String: Any]] = []
            if let dataset = w.dataset {
                findings = try database.recentFindings(dataset: dataset, limit: 20).map { f in
                    ["time": Self.time(f.timeMillis), "kind": f.kind, "count": f.count,
                     "samples": f.maskedSamples.joined(separator: ", "), "file": f.file, "agent": f.agent]
                }
                let records = try database.withdrawals(dataset: dataset, limit: 20)
                withdrawals = records.map { withdrawalRow($0, session: session, language: language) }
                let open = records.contains { $0.drill == nil && $0.state != .restored && $0.state != .cancelled }
                let catalogued = try database.dataset(id: dataset) != nil
                row["canWithdraw"] = session.may(.withdrawers) && w.labels["drill"] == nil && !open && catalogued
            }
            let restrictions = try database.restrictions(limit: 500).filter { r in
                guard r.warningID != id, let subject = w.subject else { return r.warningID == id }
                return r.subject == subject || "\(r.subjectKind.rawValue):\(r.subject)" == subject
            }.map { restrictionRow($0, session: session, language: language) }
            return page(
                request, session: session, language: language, current: "warnings", template: "warning",
                context: [
                    "warning": row, "history": history, "findings": findings, "withdrawals": withdrawals,
                    "restrictions": restrictions, "canHandle": session.may(.handlers),
                ])
        }
    }

    /// `1h`, `2h`, `30m`, `7d`, `90s` or plain seconds.
    static func seconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last else { return nil }
        let factor: Int
        var number = String(trimmed.dropLast())
        switch unit {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3600
        case "d": factor = 86_400
        default:
            factor = 1
            number = trimmed
        }
        guard let value = Int(number), value > 0 else { return nil }
        return value * factor
    }

    @Sendable func warningAction(request: Request, context: YujingRequestContext) async throws -> Response {
        let id = context.parameters.get("id", as: Int64.self)
        let verb = context.parameters.get("action") ?? ""
        let language = Self.language(request)
        let roles: Set<TokenRole> = verb == "withdraw" ? .withdrawers : .handlers
        return await action(request, roles: roles) { session, form in
            guard let id else { throw ConsoleError.notFound }
            let comment = form["comment"].flatMap { $0.isEmpty ? nil : $0 }
            let now = Self.now()
            switch verb {
            case "acknowledge", "resolve":
                let state: WarningState = verb == "resolve" ? .resolved : .acknowledged
                let warning = try database.transitionWarning(
                    id: id, to: state, author: session.name, comment: comment, nowMillis: now)
                if state == .resolved { await pipeline.announceResolved(warning) }
            case "silence":
                guard let comment else {
                    throw ConsoleError.rejected(status: 400, message: ConsoleStrings.text("comment_required", language))
                }
                guard let seconds = Self.seconds(form["duration"] ?? "") else {
                    throw ConsoleError.rejected(status: 400, message: "duration: expected e.g. 2h")
                }
                _ = try database.silenceWarning(
                    id: id, author: session.name, comment: comment, expiresMillis: now + Int64(seconds) * 1000,
                    nowMillis: now)
            case "withdraw":
                guard let reason = comment, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ConsoleError.rejected(status: 400, message: ConsoleStrings.text("reason_required", language))
                }
                guard let warning = try database.warning(id: id) else { throw ConsoleError.notFound }
                guard let dataset = warning.dataset else {
                    throw ConsoleError.rejected(status: 409, message: "warning \(id) names no dataset")
                }
                _ = try await responder.withdraw(
                    dataset: dataset, reason: reason, actor: session.name, warningID: id, sinceMillis: nil)
            default:
                throw ConsoleError.notFound
            }
        }
    }
}
