import Foundation

/// The center's `GET /api/v1/enforcement` answer: what every agent must enforce now. Unknown fields are
/// ignored; unknown subject kinds or measures are kept as text and skipped (and logged) when rendering.
public struct EnforcementDocument: Sendable, Equatable, Decodable {
    /// Opaque; changes whenever the content changes.
    public var version: String
    /// Datasets withdrawn now: their files go to quarantine and their URLs are denied.
    public var withdrawals: [Withdrawal]
    /// Withdrawals that were lifted: the datasets' files come back from quarantine.
    public var restored: [Withdrawal]
    /// Restrictions in force.
    public var restrictions: [Restriction]

    /// A withdrawal (or a restored one).
    public struct Withdrawal: Sendable, Equatable, Decodable {
        /// The withdrawal id at the center.
        public var id: Int64
        /// The dataset id (as the agent's `datasets:` sources name it).
        public var dataset: String
        /// URL paths of the dataset; `*` matches within a path segment, `**` across segments.
        public var urlPatterns: [String]

        /// Creates a withdrawal.
        /// - Parameters:
        ///   - id: Withdrawal id.
        ///   - dataset: Dataset id.
        ///   - urlPatterns: URL path patterns.
        public init(id: Int64, dataset: String, urlPatterns: [String]) {
            self.id = id
            self.dataset = dataset
            self.urlPatterns = urlPatterns
        }

        enum CodingKeys: String, CodingKey {
            case id, dataset
            case urlPatterns = "url_patterns"
        }

        /// Decodes a withdrawal; a missing `url_patterns` is an empty list.
        /// - Parameter decoder: The decoder.
        /// - Throws: `DecodingError` when `id` or `dataset` is missing or mistyped.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int64.self, forKey: .id)
            dataset = try container.decode(String.self, forKey: .dataset)
            urlPatterns = try container.decodeIfPresent([String].self, forKey: .urlPatterns) ?? []
        }
    }

    /// A restriction in force on one subject.
    public struct Restriction: Sendable, Equatable, Decodable {
        /// The restriction id at the center.
        public var id: Int64
        /// `app_key`, `user`, `ip` or `cidr`.
        public var subjectKind: String
        /// The subject (key, user id, address or network).
        public var subject: String
        /// `suspend`, `close` or `throttle`.
        public var measure: String
        /// Requests per minute allowed under `throttle`.
        public var ratePerMinute: Int?
        /// End of the measure; nil when open-ended.
        public var until: Date?

        /// Creates a restriction.
        /// - Parameters:
        ///   - id: Restriction id.
        ///   - subjectKind: Subject kind.
        ///   - subject: Subject.
        ///   - measure: Measure.
        ///   - ratePerMinute: Rate for `throttle`.
        ///   - until: End, or nil.
        public init(
            id: Int64, subjectKind: String, subject: String, measure: String, ratePerMinute: Int? = nil,
            until: Date? = nil
        ) {
            self.id = id
            self.subjectKind = subjectKind
            self.subject = subject
            self.measure = measure
            self.ratePerMinute = ratePerMinute
            self.until = until
        }

        enum CodingKeys: String, CodingKey {
            case id, subject, measure, until
            case subjectKind = "subject_kind"
            case ratePerMinute = "rate_per_minute"
        }

        /// Decodes a restriction; `until` is an RFC 3339 time or null.
        /// - Parameter decoder: The decoder.
        /// - Throws: `DecodingError` on a missing field or an unreadable time.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int64.self, forKey: .id)
            subjectKind = try container.decode(String.self, forKey: .subjectKind)
            subject = try container.decode(String.self, forKey: .subject)
            measure = try container.decode(String.self, forKey: .measure)
            ratePerMinute = try container.decodeIfPresent(Int.self, forKey: .ratePerMinute)
            if let text = try container.decodeIfPresent(String.self, forKey: .until) {
                guard let date = EnforcementDocument.parseTime(text) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .until, in: container, debugDescription: "not an RFC 3339 time")
                }
                until = date
            } else {
                until = nil
            }
        }

        /// True while the measure is in force at `now`.
        /// - Parameter now: The current time.
        /// - Returns: Whether `until` is absent or later than `now`.
        public func isActive(at now: Date) -> Bool { until.map { $0 > now } ?? true }
    }

    /// Creates a document.
    /// - Parameters:
    ///   - version: Opaque version.
    ///   - withdrawals: Withdrawals in force.
    ///   - restored: Lifted withdrawals.
    ///   - restrictions: Restrictions in force.
    public init(
        version: String, withdrawals: [Withdrawal] = [], restored: [Withdrawal] = [], restrictions: [Restriction] = []
    ) {
        self.version = version
        self.withdrawals = withdrawals
        self.restored = restored
        self.restrictions = restrictions
    }

    enum CodingKeys: String, CodingKey {
        case version, withdrawals, restored, restrictions
    }

    /// Decodes a document; missing lists are empty.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when `version` is missing or an entry is malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        withdrawals = try container.decodeIfPresent([Withdrawal].self, forKey: .withdrawals) ?? []
        restored = try container.decodeIfPresent([Withdrawal].self, forKey: .restored) ?? []
        restrictions = try container.decodeIfPresent([Restriction].self, forKey: .restrictions) ?? []
    }

    /// Decodes the JSON body of `GET /api/v1/enforcement`.
    /// - Parameter bytes: The body.
    /// - Returns: The document.
    /// - Throws: ``AgentError/encoding(_:)`` naming the decoding problem.
    public static func decode(_ bytes: [UInt8]) throws(AgentError) -> EnforcementDocument {
        do {
            return try JSONDecoder().decode(EnforcementDocument.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .encoding("enforcement document: \(AgentConfiguration.describe(error))")
        } catch {
            throw .encoding("enforcement document: \(error)")
        }
    }

    /// Parses an RFC 3339 time, with or without fractional seconds.
    static func parseTime(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// Formats a time as RFC 3339 in UTC, whole seconds.
    static func formatTime(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
