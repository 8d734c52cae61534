import Foundation
import YujingActions
import YujingResponse
import YujingRules

/// The daemon's configuration: embedded defaults, any of which a YAML file overrides.
public struct ServerConfiguration: Sendable, Hashable, Codable {
    /// A generic webhook receiver.
    public struct Webhook: Sendable, Hashable, Codable {
        /// Receiver name.
        public var name: String
        /// URL.
        public var url: String
        /// HMAC-SHA256 secret.
        public var secret: String

        /// Creates a webhook configuration.
        /// - Parameters:
        ///   - name: Name.
        ///   - url: URL.
        ///   - secret: Secret.
        public init(name: String, url: String, secret: String) {
            self.name = name
            self.url = url
            self.secret = secret
        }
    }

    /// SQLite file (WAL).
    public var database: String = "./var/yujing.sqlite"
    /// Listen address (loopback by default).
    public var host: String = "127.0.0.1"
    /// Listen port (0 picks a free one).
    public var port: Int = 8640
    /// Rule directory.
    public var rules: String = "./Alerts"
    /// Retention of access events, findings and heartbeats, in days.
    public var retentionDays: Int = 180
    /// Largest accepted request body (after gzip decompression too), bytes.
    public var maxBodyBytes: Int = 16 * 1024 * 1024
    /// Allowed lateness of events, seconds.
    public var latenessSeconds: Int = 300
    /// How far back (event time) stored events are replayed to rebuild state when no snapshot exists, seconds.
    public var rebuildSeconds: Int = 86_400
    /// Period of the wall-clock watermark tick that lets `absence` rules fire on quiet input; 0 disables it.
    public var watermarkTickSeconds: Int = 60
    /// A firing or acknowledged warning not raised again for this long (event time) is resolved; 0 disables it.
    public var autoResolveSeconds: Int = 86_400
    /// Alertmanager base URL (e.g. `http://127.0.0.1:9093`); none by default.
    public var alertmanager: String?
    /// Webhook receivers.
    public var webhooks: [Webhook] = []
    /// Base URL put in `generatorURL` links.
    public var publicURL: String?
    /// Notification queue capacity per receiver.
    public var notificationQueue: Int = 10_000
    /// Attempts per notification.
    public var notificationAttempts: Int = 5
    /// Folder of response plans and drills (`Runbooks/`).
    public var runbooks: String = "./Runbooks"
    /// YAML file of the dataset catalogue and approved applications, loaded (upserted) at start and on SIGHUP.
    public var catalogue: String?
    /// Response settings (withdrawals, restrictions, notices).
    public var response: ResponseSettings = ResponseSettings()
    /// Platform admin API calls by action (`withdraw`, `restore`, `restrict`, `lift`).
    public var platform: [String: PlatformCall] = [:]
    /// Webhooks of owning agencies, told of withdrawals with the traceback summary.
    public var owners: [OwnerWebhook] = []
    /// Regular drills (Art. 39) the center runs on cron schedules.
    public var drills: [ScheduledDrill] = []
    /// How often drill schedules are checked, seconds.
    public var drillCheckSeconds: Int = 15
    /// The `yujing` executable that runs scheduled and console-started drills (default: the daemon's own).
    public var drillBinary: String = "/proc/self/exe"

    enum CodingKeys: String, CodingKey {
        case database, host, port, rules, webhooks, alertmanager
        case retentionDays = "retention_days"
        case maxBodyBytes = "max_body_bytes"
        case latenessSeconds = "lateness_seconds"
        case rebuildSeconds = "rebuild_seconds"
        case watermarkTickSeconds = "watermark_tick_seconds"
        case autoResolveSeconds = "auto_resolve_seconds"
        case publicURL = "public_url"
        case notificationQueue = "notification_queue"
        case notificationAttempts = "notification_attempts"
        case runbooks, catalogue, response, platform, owners, drills
        case drillCheckSeconds = "drill_check_seconds"
        case drillBinary = "drill_binary"
    }

    /// The embedded defaults.
    public init() {}

    /// Decodes a configuration; absent keys keep their defaults, unknown keys are errors.
    /// - Parameter decoder: Decoder.
    /// - Throws: `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let defaults = ServerConfiguration()
        let keys = try decoder.container(keyedBy: AnyKey.self)
        for key in keys.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [key], debugDescription: "unknown key '\(key.stringValue)'"))
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        database = try c.decodeIfPresent(String.self, forKey: .database) ?? defaults.database
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? defaults.host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? defaults.port
        rules = try c.decodeIfPresent(String.self, forKey: .rules) ?? defaults.rules
        retentionDays = try c.decodeIfPresent(Int.self, forKey: .retentionDays) ?? defaults.retentionDays
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? defaults.maxBodyBytes
        latenessSeconds = try c.decodeIfPresent(Int.self, forKey: .latenessSeconds) ?? defaults.latenessSeconds
        rebuildSeconds = try c.decodeIfPresent(Int.self, forKey: .rebuildSeconds) ?? defaults.rebuildSeconds
        watermarkTickSeconds =
            try c.decodeIfPresent(Int.self, forKey: .watermarkTickSeconds) ?? defaults.watermarkTickSeconds
        autoResolveSeconds = try c.decodeIfPresent(Int.self, forKey: .autoResolveSeconds) ?? defaults.autoResolveSeconds
        alertmanager = try c.decodeIfPresent(String.self, forKey: .alertmanager)
        webhooks = try c.decodeIfPresent([Webhook].self, forKey: .webhooks) ?? []
        publicURL = try c.decodeIfPresent(String.self, forKey: .publicURL)
        notificationQueue = try c.decodeIfPresent(Int.self, forKey: .notificationQueue) ?? defaults.notificationQueue
        notificationAttempts =
            try c.decodeIfPresent(Int.self, forKey: .notificationAttempts) ?? defaults.notificationAttempts
        runbooks = try c.decodeIfPresent(String.self, forKey: .runbooks) ?? defaults.runbooks
        catalogue = try c.decodeIfPresent(String.self, forKey: .catalogue)
        response = try c.decodeIfPresent(ResponseSettings.self, forKey: .response) ?? ResponseSettings()
        platform = try c.decodeIfPresent([String: PlatformCall].self, forKey: .platform) ?? [:]
        for action in platform.keys where !["withdraw", "restore", "restrict", "lift"].contains(action) {
            throw DecodingError.dataCorruptedError(
                forKey: .platform, in: c, debugDescription: "unknown platform action '\(action)' (withdraw, restore, restrict, lift)")
        }
        owners = try c.decodeIfPresent([OwnerWebhook].self, forKey: .owners) ?? []
        drills = try c.decodeIfPresent([ScheduledDrill].self, forKey: .drills) ?? []
        drillCheckSeconds = try c.decodeIfPresent(Int.self, forKey: .drillCheckSeconds) ?? defaults.drillCheckSeconds
        drillBinary = try c.decodeIfPresent(String.self, forKey: .drillBinary) ?? defaults.drillBinary
        for drill in drills {
            do throws(CronError) {
                _ = try CronSchedule(drill.schedule)
            } catch {
                throw DecodingError.dataCorruptedError(
                    forKey: .drills, in: c, debugDescription: "drills: schedule '\(drill.schedule)': \(error)")
            }
        }
        guard (0...65535).contains(port) else {
            throw DecodingError.dataCorruptedError(forKey: .port, in: c, debugDescription: "port out of range")
        }
        guard retentionDays > 0, maxBodyBytes > 0 else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [], debugDescription: "retention_days and max_body_bytes must be > 0")
            )
        }
    }

    /// Reads a YAML configuration file.
    /// - Parameter path: File path.
    /// - Returns: The configuration.
    /// - Throws: ``ServerError/configuration(_:)`` with `file:line:column: reason`.
    public static func load(path: String) throws(ServerError) -> ServerConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .configuration("\(path): cannot read: \(error.localizedDescription)")
        }
        do throws(RuleError) {
            return try YAMLConfiguration.decode(ServerConfiguration.self, from: text, file: path)
        } catch {
            throw .configuration(error.description)
        }
    }

    /// `generatorURL` base.
    var publicBase: String { publicURL ?? "http://\(host):\(port)" }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A webhook of an owning agency (told of withdrawals of its datasets, with the traceback summary).
public struct OwnerWebhook: Sendable, Hashable, Codable {
    /// The agency, as written in the catalogue's `owner_agency`; `*` receives every agency's notices.
    public var agency: String
    /// Webhook URL.
    public var url: String
    /// HMAC secret for `X-Yujing-Signature`.
    public var secret: String

    /// Creates an owner webhook.
    public init(agency: String, url: String, secret: String) {
        self.agency = agency
        self.url = url
        self.secret = secret
    }
}

/// Response settings: approvals, verification, notices, the allow-list.
public struct ResponseSettings: Sendable, Hashable, Codable {
    /// Manual withdrawals need a second operator's approval.
    public var twoPersonRule = false
    /// How often withdrawals are verified, adapters retried and restrictions expired, seconds.
    public var tickSeconds = 2
    /// A withdrawal still served after this long raises a warning, seconds.
    public var verifyDeadlineSeconds = 120
    /// How the public notice shows subjects.
    public var noticeSubjects: NoticeSubjectPolicy = .masked
    /// How far back the notice lists ended measures, days.
    public var noticeDays = 90
    /// Subjects never restricted: `app_key:K`, `user:U`, `ip:A`, `cidr:A/N`.
    public var allowList: [String] = []
    /// Platform adapter attempts per measure before it is reported failed.
    public var adapterAttempts = 5
    /// The traceback starts this long before the first identifier finding (a file is served before it is scanned).
    public var tracebackMarginSeconds = 300
    /// Addresses the center's verification requests come from (as the platform's logs see them): those requests
    /// (User-Agent `yujing-verify/1`) are not data users and stay out of tracebacks.
    public var verifySourceAddresses = ["127.0.0.1", "::1"]

    enum CodingKeys: String, CodingKey {
        case twoPersonRule = "two_person_rule"
        case tickSeconds = "tick_seconds"
        case verifyDeadlineSeconds = "verify_deadline_seconds"
        case noticeSubjects = "notice_subjects"
        case noticeDays = "notice_days"
        case allowList = "allow_list"
        case adapterAttempts = "adapter_attempts"
        case tracebackMarginSeconds = "traceback_margin_seconds"
        case verifySourceAddresses = "verify_source_addresses"
    }

    /// Defaults.
    public init() {}

    /// Decodes with defaults; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self)
        for key in keys.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [key], debugDescription: "unknown key '\(key.stringValue)'"))
        }
        let d = ResponseSettings()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        twoPersonRule = try c.decodeIfPresent(Bool.self, forKey: .twoPersonRule) ?? d.twoPersonRule
        tickSeconds = try c.decodeIfPresent(Int.self, forKey: .tickSeconds) ?? d.tickSeconds
        verifyDeadlineSeconds = try c.decodeIfPresent(Int.self, forKey: .verifyDeadlineSeconds) ?? d.verifyDeadlineSeconds
        noticeSubjects = try c.decodeIfPresent(NoticeSubjectPolicy.self, forKey: .noticeSubjects) ?? d.noticeSubjects
        noticeDays = try c.decodeIfPresent(Int.self, forKey: .noticeDays) ?? d.noticeDays
        allowList = try c.decodeIfPresent([String].self, forKey: .allowList) ?? []
        adapterAttempts = try c.decodeIfPresent(Int.self, forKey: .adapterAttempts) ?? d.adapterAttempts
        tracebackMarginSeconds =
            try c.decodeIfPresent(Int.self, forKey: .tracebackMarginSeconds) ?? d.tracebackMarginSeconds
        verifySourceAddresses =
            try c.decodeIfPresent([String].self, forKey: .verifySourceAddresses) ?? d.verifySourceAddresses
        for entry in allowList {
            let parts = entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, RestrictedSubjectKind(rawValue: String(parts[0])) != nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .allowList, in: c, debugDescription: "allow_list entry '\(entry)': expected app_key:, user:, ip: or cidr:")
            }
        }
        guard tickSeconds > 0, adapterAttempts > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .tickSeconds, in: c, debugDescription: "tick_seconds and adapter_attempts must be > 0")
        }
    }
}

/// A drill the center runs regularly (`drills:`): a runbook, a cron schedule in the server's time zone, and how late
/// a run may start before the drill counts as overdue.
public struct ScheduledDrill: Sendable, Hashable, Codable {
    /// Runbook file.
    public var runbook: String
    /// Cron schedule (five fields).
    public var schedule: String
    /// Minutes after the due time within which the run must start.
    public var graceMinutes: Int

    enum CodingKeys: String, CodingKey {
        case runbook, schedule
        case graceMinutes = "grace_minutes"
    }

    /// Creates a schedule.
    public init(runbook: String, schedule: String, graceMinutes: Int = 60) {
        self.runbook = runbook
        self.schedule = schedule
        self.graceMinutes = graceMinutes
    }

    /// Decodes with defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runbook = try c.decode(String.self, forKey: .runbook)
        schedule = try c.decode(String.self, forKey: .schedule)
        graceMinutes = try c.decodeIfPresent(Int.self, forKey: .graceMinutes) ?? 60
    }
}
