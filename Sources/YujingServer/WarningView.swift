import Foundation
import Hummingbird
import YujingStore

/// A warning as the API shows it.
struct WarningView: ResponseCodable {
    var id: Int64
    var fingerprint: String
    var rule: String
    var title: String
    var level: String
    var level_name: String
    var colour: String
    var state: String
    var count: Int
    var first_seen: String
    var last_seen: String
    var dataset: String?
    var subject: String?
    var labels: [String: String]
    var annotations: [String: String]
    var evidence: String
    var inhibited_by: Int64?
    /// Related resources: the dataset's traceback and withdrawals (Art. 27), when the warning names a dataset.
    var links: [String: String]?
    var history: [HistoryView]?

    struct HistoryView: Codable {
        var time: String
        var action: String
        var author: String
        var level: String
        var state: String
        var comment: String?
    }

    init(_ warning: WarningRecord, history: [WarningHistoryEntry]? = nil) {
        id = warning.id
        fingerprint = warning.fingerprint
        rule = warning.rule
        title = warning.title
        level = warning.level.rawValue
        level_name = warning.level.chineseName
        colour = warning.level.colour
        state = warning.state.rawValue
        count = warning.count
        first_seen = Self.time(warning.firstSeenMillis)
        last_seen = Self.time(warning.lastSeenMillis)
        dataset = warning.dataset
        subject = warning.subject
        labels = warning.labels
        annotations = warning.annotations
        evidence = warning.evidence
        inhibited_by = warning.inhibitedBy
        if let dataset = warning.dataset {
            let encoded = dataset.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? dataset
            let drill = warning.labels["drill"].map { "drill=\($0)" }
            links = [
                "traceback": "/api/v1/datasets/\(encoded)/traceback" + (drill.map { "?\($0)" } ?? ""),
                "withdrawals": "/api/v1/withdrawals?dataset=\(encoded)" + (drill.map { "&\($0)" } ?? ""),
            ]
        }
        self.history = history?.map {
            HistoryView(
                time: Self.time($0.timeMillis), action: $0.action, author: $0.author, level: $0.level.rawValue,
                state: $0.state.rawValue, comment: $0.comment)
        }
    }

    static func time(_ millis: Int64) -> String {
        Date(timeIntervalSince1970: Double(millis) / 1000).formatted(.iso8601)
    }
}

struct WarningList: ResponseEncodable {
    var warnings: [WarningView]
}
