import YujingCore

/// Which JSON keys hold which access-event fields. Keys may be dotted paths into nested objects (`request.path`).
///
/// `path` may hold the path with its query string; when it is absent, `request` (`"GET /x?y HTTP/1.1"`) is split.
public struct JSONFieldMap: Sendable, Hashable, Codable {
    /// Event time.
    public var time: String
    /// Client IP.
    public var ip: String
    /// HTTP method.
    public var method: String
    /// Request path (with or without query).
    public var path: String
    /// Whole request line, used when `path` is missing.
    public var request: String
    /// HTTP status.
    public var status: String
    /// Response bytes.
    public var bytes: String
    /// User agent.
    public var userAgent: String
    /// Logging node; when absent the configuration's `node` is used.
    public var node: String?
    /// Dataset id, when the log names it directly (overrides URL patterns).
    public var dataset: String?
    /// Channel (`download`, `api`, `sandbox`), when the log names it directly.
    public var channel: String?
    /// Drill id.
    public var drill: String?
    /// Fields (often headers) that name the subject, in priority order, before the query parameters.
    public var subjects: [SubjectParameter]

    /// Creates a field map; the defaults follow nginx's variable names.
    /// - Parameters:
    ///   - time: Time key.
    ///   - ip: Client IP key.
    ///   - method: Method key.
    ///   - path: Path key.
    ///   - request: Request-line key.
    ///   - status: Status key.
    ///   - bytes: Bytes key.
    ///   - userAgent: User-agent key.
    ///   - node: Node key.
    ///   - dataset: Dataset key.
    ///   - channel: Channel key.
    ///   - drill: Drill key.
    ///   - subjects: Subject fields.
    public init(
        time: String = "time", ip: String = "remote_addr", method: String = "request_method",
        path: String = "request_uri", request: String = "request", status: String = "status",
        bytes: String = "body_bytes_sent", userAgent: String = "http_user_agent", node: String? = nil,
        dataset: String? = nil, channel: String? = nil, drill: String? = "drill_id",
        subjects: [SubjectParameter] = [
            SubjectParameter(name: "http_x_app_key", kind: .appKey),
            SubjectParameter(name: "user_id", kind: .user),
        ]
    ) {
        self.time = time
        self.ip = ip
        self.method = method
        self.path = path
        self.request = request
        self.status = status
        self.bytes = bytes
        self.userAgent = userAgent
        self.node = node
        self.dataset = dataset
        self.channel = channel
        self.drill = drill
        self.subjects = subjects
    }

    private enum CodingKeys: String, CodingKey {
        case time, ip, method, path, request, status, bytes, node, dataset, channel, drill, subjects
        case userAgent = "user_agent"
    }

    /// Decodes a field map; every key is optional and takes the memberwise initializer's default.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` on a wrongly typed key.
    public init(from decoder: any Decoder) throws {
        let defaults = JSONFieldMap()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        time = try container.decodeIfPresent(String.self, forKey: .time) ?? defaults.time
        ip = try container.decodeIfPresent(String.self, forKey: .ip) ?? defaults.ip
        method = try container.decodeIfPresent(String.self, forKey: .method) ?? defaults.method
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? defaults.path
        request = try container.decodeIfPresent(String.self, forKey: .request) ?? defaults.request
        status = try container.decodeIfPresent(String.self, forKey: .status) ?? defaults.status
        bytes = try container.decodeIfPresent(String.self, forKey: .bytes) ?? defaults.bytes
        userAgent = try container.decodeIfPresent(String.self, forKey: .userAgent) ?? defaults.userAgent
        node = try container.decodeIfPresent(String.self, forKey: .node)
        dataset = try container.decodeIfPresent(String.self, forKey: .dataset)
        channel = try container.decodeIfPresent(String.self, forKey: .channel)
        drill = try container.decodeIfPresent(String.self, forKey: .drill) ?? defaults.drill
        subjects = try container.decodeIfPresent([SubjectParameter].self, forKey: .subjects) ?? defaults.subjects
    }
}
