import YujingCore

/// How access-log lines become ``AccessEvent``s. Codable so the caller can load it from YAML or JSON; every key
/// is optional and falls back to ``ParseConfiguration/default``.
public struct ParseConfiguration: Sendable, Hashable, Codable {
    /// The log format.
    public var format: LogFormat
    /// The node name stamped on events (JSON logs may override it per line through the field map).
    public var node: String
    /// JSON field map (JSON format only).
    public var fields: JSONFieldMap
    /// How JSON logs write time.
    public var timeFormat: TimeFormat
    /// UTC offset in minutes assumed for times that carry none (ISO 8601 without zone).
    public var defaultUTCOffsetMinutes: Int
    /// Path patterns naming datasets, tried in order; the first match wins.
    public var datasetPatterns: [URLPattern]
    /// Path patterns that set only the channel (tried when no dataset pattern matched), e.g. `/api/{**}`.
    public var channelPatterns: [URLPattern]
    /// Query parameters naming the subject, in priority order. Credential kinds are redacted in ``AccessEvent/query``.
    public var subjectParameters: [SubjectParameter]
    /// Whether a combined-format remote user (third field, not `-`) names a user subject when nothing else does.
    public var remoteUserIsSubject: Bool
    /// Whether to keep the (redacted) query string on events.
    public var keepQuery: Bool

    /// Creates a configuration.
    /// - Parameters:
    ///   - format: Log format.
    ///   - node: Node name.
    ///   - fields: JSON field map.
    ///   - timeFormat: JSON time format.
    ///   - defaultUTCOffsetMinutes: Offset for zone-less times.
    ///   - datasetPatterns: Dataset patterns.
    ///   - channelPatterns: Channel-only patterns.
    ///   - subjectParameters: Subject query parameters.
    ///   - remoteUserIsSubject: Whether the remote user names a subject.
    ///   - keepQuery: Whether to keep the redacted query.
    public init(
        format: LogFormat = .combined, node: String = "", fields: JSONFieldMap = JSONFieldMap(),
        timeFormat: TimeFormat = .auto, defaultUTCOffsetMinutes: Int = 480,
        datasetPatterns: [URLPattern] = ParseConfiguration.defaultDatasetPatterns,
        channelPatterns: [URLPattern] = ParseConfiguration.defaultChannelPatterns,
        subjectParameters: [SubjectParameter] = ParseConfiguration.defaultSubjectParameters,
        remoteUserIsSubject: Bool = true, keepQuery: Bool = true
    ) {
        self.format = format
        self.node = node
        self.fields = fields
        self.timeFormat = timeFormat
        self.defaultUTCOffsetMinutes = defaultUTCOffsetMinutes
        self.datasetPatterns = datasetPatterns
        self.channelPatterns = channelPatterns
        self.subjectParameters = subjectParameters
        self.remoteUserIsSubject = remoteUserIsSubject
        self.keepQuery = keepQuery
    }

    /// The defaults: combined format, UTC+8 for zone-less times, the platform's usual URL layout.
    public static let `default` = ParseConfiguration()

    /// `/api/v1/datasets/{dataset}/download`, `/datasets/{dataset}/download`, `/datasets/{dataset}/files/{file}`,
    /// `/datasets/{dataset}/{file}` (download); `/api/v1/datasets/{dataset}` and below (api);
    /// `/sandbox/datasets/{dataset}` and below (sandbox).
    public static let defaultDatasetPatterns: [URLPattern] = [
        URLPattern("/api/v1/datasets/{dataset}/download", channel: .download),
        URLPattern("/api/v1/datasets/{dataset}/files/{file}", channel: .download),
        URLPattern("/api/v1/datasets/{dataset}/{**}", channel: .api),
        URLPattern("/api/v1/datasets/{dataset}", channel: .api),
        URLPattern("/datasets/{dataset}/download", channel: .download),
        URLPattern("/datasets/{dataset}/files/{file}", channel: .download),
        URLPattern("/datasets/{dataset}/{file}", channel: .download),
        URLPattern("/sandbox/datasets/{dataset}/{**}", channel: .sandbox),
        URLPattern("/sandbox/datasets/{dataset}", channel: .sandbox),
    ]

    /// `/api/{**}` (api) and `/sandbox/{**}` (sandbox).
    public static let defaultChannelPatterns: [URLPattern] = [
        URLPattern("/api/{**}", channel: .api),
        URLPattern("/sandbox/{**}", channel: .sandbox),
    ]

    /// `appKey`, `app_key`, `appkey` (app key); `token`, `access_token` (token); `userId`, `user_id` (user).
    public static let defaultSubjectParameters: [SubjectParameter] = [
        SubjectParameter(name: "appKey", kind: .appKey),
        SubjectParameter(name: "app_key", kind: .appKey),
        SubjectParameter(name: "appkey", kind: .appKey),
        SubjectParameter(name: "token", kind: .token),
        SubjectParameter(name: "access_token", kind: .token),
        SubjectParameter(name: "userId", kind: .user),
        SubjectParameter(name: "user_id", kind: .user),
    ]

    private enum CodingKeys: String, CodingKey {
        case format, node, fields
        case timeFormat = "time_format"
        case defaultUTCOffsetMinutes = "default_utc_offset_minutes"
        case datasetPatterns = "dataset_patterns"
        case channelPatterns = "channel_patterns"
        case subjectParameters = "subject_parameters"
        case remoteUserIsSubject = "remote_user_is_subject"
        case keepQuery = "keep_query"
    }

    /// Decodes a configuration; missing keys take their defaults.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` on a wrongly typed key.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ParseConfiguration.default
        format = try container.decodeIfPresent(LogFormat.self, forKey: .format) ?? defaults.format
        node = try container.decodeIfPresent(String.self, forKey: .node) ?? defaults.node
        fields = try container.decodeIfPresent(JSONFieldMap.self, forKey: .fields) ?? defaults.fields
        timeFormat = try container.decodeIfPresent(TimeFormat.self, forKey: .timeFormat) ?? defaults.timeFormat
        defaultUTCOffsetMinutes =
            try container.decodeIfPresent(Int.self, forKey: .defaultUTCOffsetMinutes)
            ?? defaults.defaultUTCOffsetMinutes
        datasetPatterns =
            try container.decodeIfPresent([URLPattern].self, forKey: .datasetPatterns) ?? defaults.datasetPatterns
        channelPatterns =
            try container.decodeIfPresent([URLPattern].self, forKey: .channelPatterns) ?? defaults.channelPatterns
        subjectParameters =
            try container.decodeIfPresent([SubjectParameter].self, forKey: .subjectParameters)
            ?? defaults.subjectParameters
        remoteUserIsSubject =
            try container.decodeIfPresent(Bool.self, forKey: .remoteUserIsSubject) ?? defaults.remoteUserIsSubject
        keepQuery = try container.decodeIfPresent(Bool.self, forKey: .keepQuery) ?? defaults.keepQuery
    }
}
