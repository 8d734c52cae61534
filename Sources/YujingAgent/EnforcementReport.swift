import Foundation

/// What an agent did with one enforcement document (`POST /api/v1/enforcement/report`).
public struct EnforcementReport: Sendable, Equatable, Encodable {
    /// The agent name.
    public var agent: String
    /// The document version applied.
    public var version: String
    /// When it was applied.
    public var appliedAt: Date
    /// The nginx outcome.
    public var nginx: NginxOutcome
    /// One entry per withdrawal of the document.
    public var withdrawals: [DatasetOutcome]
    /// One entry per restored withdrawal of the document.
    public var restored: [DatasetOutcome]

    /// The nginx part of a report.
    public struct NginxOutcome: Sendable, Equatable, Encodable {
        /// `applied`, `unchanged`, `failed` or `disabled`.
        public var status: Status
        /// nginx's complaint (first lines of the test or reload command's output) when `failed`.
        public var error: String?

        /// Outcome of rendering, testing and reloading.
        public enum Status: String, Sendable, Encodable {
            /// New includes in place, tested and reloaded.
            case applied
            /// The rendered includes equal those in place: nothing done.
            case unchanged
            /// The test or the reload failed: the previous includes are back in place.
            case failed
            /// No `nginx:` in this agent's `enforcement:`.
            case disabled
        }

        /// Creates an outcome.
        /// - Parameters:
        ///   - status: Status.
        ///   - error: Error text for `failed`.
        public init(status: Status, error: String? = nil) {
            self.status = status
            self.error = error
        }

        enum CodingKeys: String, CodingKey { case status, error }

        /// Encodes `error` as null when absent.
        /// - Parameter encoder: The encoder.
        /// - Throws: `EncodingError`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(error, forKey: .error)
        }
    }

    /// The quarantine part of a report, for one withdrawal or restoration.
    public struct DatasetOutcome: Sendable, Equatable, Encodable {
        /// The withdrawal id.
        public var id: Int64
        /// The dataset id.
        public var dataset: String
        /// Files this agent moved for this withdrawal (into quarantine, or back when restored).
        public var filesMoved: Int
        /// `done` or `failed`.
        public var status: Status
        /// What went wrong (paths relative to the source root, never content), when `failed`.
        public var error: String?

        /// Outcome of moving a dataset's files.
        public enum Status: String, Sendable, Encodable {
            /// Every file of the dataset was moved.
            case done
            /// At least one file could not be moved.
            case failed
        }

        /// Creates an outcome.
        /// - Parameters:
        ///   - id: Withdrawal id.
        ///   - dataset: Dataset id.
        ///   - filesMoved: Files moved.
        ///   - status: Status.
        ///   - error: Error text.
        public init(id: Int64, dataset: String, filesMoved: Int, status: Status, error: String? = nil) {
            self.id = id
            self.dataset = dataset
            self.filesMoved = filesMoved
            self.status = status
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case id, dataset, status, error
            case filesMoved = "files_moved"
        }

        /// Encodes `error` as null when absent.
        /// - Parameter encoder: The encoder.
        /// - Throws: `EncodingError`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(dataset, forKey: .dataset)
            try container.encode(filesMoved, forKey: .filesMoved)
            try container.encode(status, forKey: .status)
            try container.encode(error, forKey: .error)
        }
    }

    /// Creates a report.
    /// - Parameters:
    ///   - agent: Agent name.
    ///   - version: Document version.
    ///   - appliedAt: Time of the apply.
    ///   - nginx: nginx outcome.
    ///   - withdrawals: Withdrawal outcomes.
    ///   - restored: Restoration outcomes.
    public init(
        agent: String, version: String, appliedAt: Date, nginx: NginxOutcome, withdrawals: [DatasetOutcome],
        restored: [DatasetOutcome]
    ) {
        self.agent = agent
        self.version = version
        self.appliedAt = appliedAt
        self.nginx = nginx
        self.withdrawals = withdrawals
        self.restored = restored
    }

    /// True when nginx failed or a dataset could not be moved: the document is applied again later.
    public var hasFailures: Bool {
        nginx.status == .failed || withdrawals.contains { $0.status == .failed }
            || restored.contains { $0.status == .failed }
    }

    enum CodingKeys: String, CodingKey {
        case agent, version, nginx, withdrawals, restored
        case appliedAt = "applied_at"
    }

    /// Encodes the report; `applied_at` as RFC 3339 UTC.
    /// - Parameter encoder: The encoder.
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agent, forKey: .agent)
        try container.encode(version, forKey: .version)
        try container.encode(EnforcementDocument.formatTime(appliedAt), forKey: .appliedAt)
        try container.encode(nginx, forKey: .nginx)
        try container.encode(withdrawals, forKey: .withdrawals)
        try container.encode(restored, forKey: .restored)
    }

    /// The JSON body (keys sorted).
    /// - Returns: UTF-8 JSON.
    /// - Throws: ``AgentError/encoding(_:)``.
    public func json() throws(AgentError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self))
        } catch {
            throw .encoding("enforcement report: \(error)")
        }
    }
}
