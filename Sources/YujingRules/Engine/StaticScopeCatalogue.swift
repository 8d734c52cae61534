import YujingCore

/// A ``ScopeOracle`` over plain values: for tests, `yujing replay` and as the daemon's in-memory copy.
public struct StaticScopeCatalogue: ScopeOracle, Hashable, Codable {
    /// An approved application for conditional data.
    public struct Approval: Sendable, Hashable, Codable {
        /// Subject id (any kind).
        public var subject: String
        /// Dataset id.
        public var dataset: String
        /// Start of validity, epoch ms (inclusive).
        public var validFromMillis: Int64
        /// End of validity, epoch ms (exclusive).
        public var validToMillis: Int64

        /// Creates an approval.
        /// - Parameters:
        ///   - subject: Subject id.
        ///   - dataset: Dataset id.
        ///   - validFromMillis: Start (inclusive).
        ///   - validToMillis: End (exclusive).
        public init(subject: String, dataset: String, validFromMillis: Int64, validToMillis: Int64) {
            self.subject = subject
            self.dataset = dataset
            self.validFromMillis = validFromMillis
            self.validToMillis = validToMillis
        }
    }

    /// A restriction of a subject (Art. 26).
    public struct Restriction: Sendable, Hashable, Codable {
        /// Subject id (any kind).
        public var subject: String
        /// Start, epoch ms (inclusive).
        public var fromMillis: Int64
        /// End, epoch ms (exclusive); `nil` for indefinite.
        public var untilMillis: Int64?

        /// Creates a restriction.
        /// - Parameters:
        ///   - subject: Subject id.
        ///   - fromMillis: Start.
        ///   - untilMillis: End, or `nil`.
        public init(subject: String, fromMillis: Int64, untilMillis: Int64? = nil) {
            self.subject = subject
            self.fromMillis = fromMillis
            self.untilMillis = untilMillis
        }
    }

    /// Dataset id → category.
    public var datasets: [String: OpenCategory]
    /// Approvals.
    public var approvals: [Approval]
    /// Restrictions.
    public var restrictions: [Restriction]

    /// Creates a catalogue.
    /// - Parameters:
    ///   - datasets: Categories by dataset id.
    ///   - approvals: Approvals.
    ///   - restrictions: Restrictions.
    public init(datasets: [String: OpenCategory] = [:], approvals: [Approval] = [], restrictions: [Restriction] = []) {
        self.datasets = datasets
        self.approvals = approvals
        self.restrictions = restrictions
    }

    /// See ``ScopeOracle/openCategory(ofDataset:)``.
    public func openCategory(ofDataset dataset: String) -> OpenCategory? { datasets[dataset] }

    /// See ``ScopeOracle/hasValidApproval(subject:dataset:atMillis:)``.
    public func hasValidApproval(subject: Subject, dataset: String, atMillis timeMillis: Int64) -> Bool {
        approvals.contains {
            $0.subject == subject.id && $0.dataset == dataset && $0.validFromMillis <= timeMillis
                && timeMillis < $0.validToMillis
        }
    }

    /// See ``ScopeOracle/isRestricted(subject:atMillis:)``.
    public func isRestricted(subject: Subject, atMillis timeMillis: Int64) -> Bool {
        restrictions.contains {
            $0.subject == subject.id && $0.fromMillis <= timeMillis && timeMillis < ($0.untilMillis ?? .max)
        }
    }
}
