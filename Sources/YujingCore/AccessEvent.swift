import Foundation

/// One request to the open platform, as parsed from an access log.
///
/// Time is kept as milliseconds since the Unix epoch (UTC) so that the engine does integer arithmetic only.
public struct AccessEvent: Sendable, Hashable, Codable {
    /// Event time in milliseconds since 1970-01-01T00:00:00Z.
    public var timeMillis: Int64
    /// The node (server or agent name) that logged the request.
    public var node: String
    /// Client IP address as logged.
    public var clientIP: String
    /// The subject (user id, app key or token), when one was found.
    public var subject: Subject?
    /// HTTP method, e.g. `GET`.
    public var method: String
    /// Request path without the query string.
    public var path: String
    /// Query string without `?`, with credential parameters redacted; `nil` when absent.
    public var query: String?
    /// Dataset id, when the path named one.
    public var dataset: String?
    /// The access channel, when the path identified one.
    public var channel: AccessChannel?
    /// HTTP status code (0 when the log had none).
    public var status: Int
    /// Response size in bytes (0 for `-`).
    public var bytes: Int64
    /// User agent (`""` when absent).
    public var userAgent: String
    /// The drill this request belongs to, when injected by a drill.
    public var drillID: String?

    /// Creates an access event.
    /// - Parameters:
    ///   - timeMillis: Event time in epoch milliseconds.
    ///   - node: Logging node.
    ///   - clientIP: Client IP address.
    ///   - subject: Subject, if known.
    ///   - method: HTTP method.
    ///   - path: Path without query.
    ///   - query: Redacted query string.
    ///   - dataset: Dataset id.
    ///   - channel: Access channel.
    ///   - status: HTTP status.
    ///   - bytes: Response bytes.
    ///   - userAgent: User agent.
    ///   - drillID: Drill id.
    public init(
        timeMillis: Int64, node: String = "", clientIP: String, subject: Subject? = nil, method: String = "GET",
        path: String, query: String? = nil, dataset: String? = nil, channel: AccessChannel? = nil,
        status: Int = 200, bytes: Int64 = 0, userAgent: String = "", drillID: String? = nil
    ) {
        self.timeMillis = timeMillis
        self.node = node
        self.clientIP = clientIP
        self.subject = subject
        self.method = method
        self.path = path
        self.query = query
        self.dataset = dataset
        self.channel = channel
        self.status = status
        self.bytes = bytes
        self.userAgent = userAgent
        self.drillID = drillID
    }

    /// Event time as a `Date`.
    public var time: Date {
        get { Date(timeIntervalSince1970: Double(timeMillis) / 1000) }
        set { timeMillis = Int64((newValue.timeIntervalSince1970 * 1000).rounded()) }
    }
}
