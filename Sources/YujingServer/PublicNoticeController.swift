import Foundation
import Hummingbird
import NIOCore
import YujingResponse
import YujingStore

/// `GET /public/notices` (no login): the Art. 26 public announcement of measures in force and recent ones — the
/// subject shown per policy (masked by default), the measure, the ground and the period, and no other personal data.
/// HTML by default; JSON with `?format=json` or `Accept: application/json`. Drill measures never appear.
struct PublicNoticeController {
    let database: YujingDatabase
    let settings: ResponseSettings

    func addRoutes(to router: Router<YujingRequestContext>) {
        router.get("public/notices", use: notices)
    }

    func document(nowMillis: Int64) throws -> NoticeDocument {
        let since = nowMillis - Int64(settings.noticeDays) * 86_400_000
        let rows = try WarningsController.store {
            try database.restrictions(
                states: [.active, .expired, .lifted], includeDrills: false, sinceMillis: since, limit: 1000)
        }
        let policy = settings.noticeSubjects
        func entry(_ r: RestrictionRecord) -> NoticeEntry {
            NoticeEntry(
                id: r.id, subject_kind: r.subjectKind.rawValue, subject: policy.display(r.subject, kind: r.subjectKind),
                measure: r.measure.rawValue, measure_zh: r.measure.chineseName, ground: r.ground.rawValue,
                ground_text: r.ground.text, ground_text_zh: r.ground.chineseText,
                from: WarningView.time(r.startsMillis), until: (r.endedMillis ?? r.untilMillis).map(WarningView.time),
                state: r.state.rawValue)
        }
        return NoticeDocument(
            generated_at: WarningView.time(nowMillis), in_force: rows.filter { $0.state == .active }.map(entry),
            recent: rows.filter { $0.state != .active }.map(entry))
    }

    @Sendable func notices(request: Request, context: YujingRequestContext) async throws -> Response {
        let document = try document(nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
        let wantsJSON =
            request.uri.queryParameters["format"] == "json"
            || (request.headers[.accept]?.contains("application/json") ?? false)
        if wantsJSON { return try document.response(from: request, context: context) }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: Self.html(document))))
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    static func table(_ entries: [NoticeEntry]) -> String {
        guard !entries.isEmpty else { return "<p>无 / None</p>\n" }
        var html = """
            <table><thead><tr><th>对象类型 Kind</th><th>对象 Subject</th><th>措施 Measure</th>\
            <th>依据 Ground</th><th>起 From</th><th>止 Until</th></tr></thead><tbody>\n
            """
        for e in entries {
            html += "<tr><td>\(escape(e.subject_kind))</td><td><code>\(escape(e.subject))</code></td>"
            html += "<td>\(escape(e.measure_zh)) (\(escape(e.measure)))</td>"
            html += "<td>\(escape(e.ground_text_zh))<br><small>\(escape(e.ground_text))</small></td>"
            html += "<td>\(escape(e.from))</td><td>\(escape(e.until ?? "—"))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    static func html(_ document: NoticeDocument) -> String {
        """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>数据使用限制公告 / Notice of restrictions</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;width:100%}\
        td,th{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}</style></head>
        <body><h1>数据使用限制公告 <small>Notice of restrictions on data users</small></h1>
        <p>依据《公共数据开放管理办法》第二十六条公告。Announced under Art. 26. Generated \(escape(document.generated_at)).</p>
        <h2>正在执行 / In force</h2>
        \(table(document.in_force))<h2>近期已结束 / Recently ended</h2>
        \(table(document.recent))</body></html>

        """
    }
}
