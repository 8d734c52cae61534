import Foundation
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
