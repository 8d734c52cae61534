import Foundation
import Hummingbird
import YujingResponse
import YujingStore

/// A withdrawal as the API shows it.
struct WithdrawalView: ResponseEncodable {
    struct Transition: Encodable {
        var time: String
        var state: String
        var actor: String
        var reason: String
    }

    var id: Int64
    var dataset: String
    var state: String
    var reason: String
    var warning_id: Int64?
    var plan: String?
    var requested_by: String
    var approved_by: String?
    var created_at: String
    var updated_at: String
    var traceback_since: String
    var traceback_url: String
    var adapter: [String: String]
    var verification: [String: String]
    var drill: String?
    var history: [Transition]?

    init(_ w: WithdrawalRecord, history: [WithdrawalTransition]? = nil) {
        id = w.id
        dataset = w.dataset
        state = w.state.rawValue
        reason = w.reason
        warning_id = w.warningID
        plan = w.plan
        requested_by = w.requestedBy
        approved_by = w.approvedBy
        created_at = WarningView.time(w.createdMillis)
        updated_at = WarningView.time(w.updatedMillis)
        traceback_since = WarningView.time(w.sinceMillis)
        traceback_url = "/api/v1/datasets/\(w.dataset)/traceback?since=\(WarningView.time(w.sinceMillis))"
        adapter = ["status": w.adapterStatus, "attempts": String(w.adapterAttempts)]
        if let error = w.adapterError { adapter["error"] = error }
        verification = ["status": w.verificationStatus]
        if let detail = w.verificationDetail { verification["detail"] = detail }
        if let time = w.verifiedMillis { verification["checked_at"] = WarningView.time(time) }
        drill = w.drill
        self.history = history?.map {
            Transition(time: WarningView.time($0.timeMillis), state: $0.state.rawValue, actor: $0.actor, reason: $0.reason)
        }
    }
}

/// A restriction as the API shows it (to operators: the subject in clear).
struct RestrictionView: ResponseEncodable {
    var id: Int64
    var subject_kind: String
    var subject: String
    var measure: String
    var state: String
    var ground: Int
    var ground_text: String
    var reason: String
    var warning_id: Int64?
    var plan: String?
    var requested_by: String
    var approved_by: String?
    var created_at: String
    var starts_at: String
    var until: String?
    var rate_per_minute: Int?
    var repeat_index: Int
    var lifted_by: String?
    var ended_at: String?
    var drill: String?

    init(_ r: RestrictionRecord) {
        id = r.id
        subject_kind = r.subjectKind.rawValue
        subject = r.subject
        measure = r.measure.rawValue
        state = r.state.rawValue
        ground = r.ground.rawValue
        ground_text = r.ground.text
        reason = r.reason
        warning_id = r.warningID
        plan = r.plan
        requested_by = r.requestedBy
        approved_by = r.approvedBy
        created_at = WarningView.time(r.createdMillis)
        starts_at = WarningView.time(r.startsMillis)
        until = r.untilMillis.map(WarningView.time)
        rate_per_minute = r.ratePerMinute
        repeat_index = r.repeatIndex
        lifted_by = r.liftedBy
        ended_at = r.endedMillis.map(WarningView.time)
        drill = r.drill
    }
}

/// A traceback row.
struct TracebackView: Encodable {
    var subject_kind: String
    var subject: String
    var channel: String
    var count: Int
    var first: String
    var last: String
    var bytes: Int64
    var addresses: Int

    init(_ row: TracebackRow) {
        subject_kind = row.subjectKind
        subject = row.subject
        channel = row.channel
        count = row.count
        first = WarningView.time(row.firstMillis)
        last = WarningView.time(row.lastMillis)
        bytes = row.bytes
        addresses = row.addresses
    }

    static let csvHeader = "subject_kind,subject,channel,count,first,last,bytes,addresses"

    var csvLine: String {
        [subject_kind, subject, channel, String(count), first, last, String(bytes), String(addresses)]
            .map(Self.csvField).joined(separator: ",")
    }

    /// RFC 4180 quoting, and a leading `'` against formula injection in spreadsheets.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A traceback document.
struct TracebackDocument: ResponseEncodable {
    var dataset: String
    var title: String?
    var owner_agency: String?
    var since: String
    var until: String
    var subjects: Int
    var requests: Int
    var bytes: Int64
    var rows: [TracebackView]
}

/// One row of a subject's activity.
struct ActivityView: Encodable {
    var dataset: String?
    var channel: String
    var count: Int
    var obtained: Int
    var first: String
    var last: String
    var bytes: Int64
    var addresses: Int

    init(_ row: ActivityRow) {
        dataset = row.dataset
        channel = row.channel
        count = row.count
        obtained = row.obtained
        first = WarningView.time(row.firstMillis)
        last = WarningView.time(row.lastMillis)
        bytes = row.bytes
        addresses = row.addresses
    }
}

/// `GET /api/v1/subjects/{kind}/{id}/activity`: what one data user requested, per dataset and channel.
struct ActivityDocument: ResponseEncodable {
    var subject_kind: String
    var subject: String
    var since: String
    var until: String
    var datasets: Int
    var requests: Int
    var bytes: Int64
    var rows: [ActivityView]
}

/// One entry of the public notice: the measure, the ground and the period, the subject per policy, nothing else.
struct NoticeEntry: Encodable {
    var id: Int64
    var subject_kind: String
    var subject: String
    var measure: String
    var measure_zh: String
    var ground: Int
    var ground_text: String
    var ground_text_zh: String
    var from: String
    var until: String?
    var state: String
}

/// The public notice document.
struct NoticeDocument: ResponseEncodable {
    var generated_at: String
    var in_force: [NoticeEntry]
    var recent: [NoticeEntry]
}
