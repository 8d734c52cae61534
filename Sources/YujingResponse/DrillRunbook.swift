import YujingCore

/// An emergency drill (Art. 39), from the `drill:` section of a `Runbooks/*.yaml` file: roles, manual steps,
/// injections of synthetic traffic and releases, expectations with time objectives, an abort time.
public struct DrillRunbook: Sendable, Hashable {
    /// A role and who holds it.
    public struct Role: Sendable, Hashable {
        /// Role name (e.g. `commander`).
        public var name: String
        /// Who holds it.
        public var holder: String
    }

    /// A manual step, signed off by an operator (all steps form the tabletop checklist).
    public struct Step: Sendable, Hashable {
        /// Step id.
        public var id: String
        /// The role that does it.
        public var role: String
        /// What to do.
        public var text: String
    }

    /// Drill id (`[a-z0-9-]+`), also the file's identity.
    public var id: String
    /// Title.
    public var title: String
    /// What it exercises.
    public var description: String
    /// The response plan it exercises, if any.
    public var plan: String?
    /// Roles.
    public var roles: [Role]
    /// Catalogue entries the drill creates for itself (ids start with `drill-`); removed at the end.
    public var datasets: [DrillDataset]
    /// Injections.
    public var injections: [DrillInjection]
    /// Expectations.
    public var expectations: [DrillExpectation]
    /// Manual steps.
    public var steps: [Step]
    /// The drill is aborted (expectations still open fail) after this long, milliseconds.
    public var abortAfterMillis: Int64
    /// Where it was loaded from.
    public var source: String
}

/// A catalogue entry a drill creates for itself.
public struct DrillDataset: Sendable, Hashable {
    /// Id (starts with `drill-`).
    public var id: String
    /// Title.
    public var title: String
    /// Owner agency.
    public var ownerAgency: String
    /// Category.
    public var openCategory: OpenCategory
}

/// Synthetic input of a drill. Times are offsets from the drill's start; `time_shift` moves a whole injection into
/// the past (event time), which lets a drill show in seconds what takes minutes in real time (a silent agent).
public struct DrillInjection: Sendable, Hashable {
    /// What is injected.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A dataset file with planted identifiers (valid check characters), scanned by the real detector.
        case datasetRelease = "dataset_release"
        /// Downloads by one subject (bulk scraping): `count` requests over `datasets` dataset ids.
        case downloads
        /// One app key used from `addresses` client addresses.
        case keySharing = "key_sharing"
        /// Rejected logins or keys (401) from one address.
        case bruteForce = "brute_force"
        /// Access to a conditional dataset by a subject without an approved application.
        case conditionalAccess = "conditional_access"
        /// Heartbeats of an agent that then falls silent.
        case heartbeatGap = "heartbeat_gap"
    }

    /// Kind.
    public var kind: Kind
    /// Dataset id (releases, downloads of one dataset, conditional access).
    public var dataset: String?
    /// Subject (app key) for traffic.
    public var subject: String?
    /// Client address.
    public var address: String
    /// Events (requests, heartbeats).
    public var count: Int
    /// Distinct dataset ids for `downloads` (1: all of `dataset`).
    public var datasets: Int
    /// Distinct addresses for `key_sharing`.
    public var addresses: Int
    /// Identifiers to plant, by kind (`cn_resident_id`, `cn_mobile`, `bank_card`).
    public var identifiers: [String: Int]
    /// Agent name for `heartbeat_gap`.
    public var agent: String
    /// Silence after the last heartbeat, milliseconds (`heartbeat_gap`).
    public var silenceMillis: Int64
    /// Offset from the drill start, milliseconds.
    public var atMillis: Int64
    /// Spacing between events, milliseconds.
    public var spacingMillis: Int64
    /// Spread the events over this long before `at` (event time), e.g. low-and-slow scraping over hours; 0: none.
    public var overMillis: Int64 = 0

    /// Creates an injection with defaults.
    public init(kind: Kind) {
        self.kind = kind
        address = "198.51.100.10"
        count = 1
        datasets = 1
        addresses = 1
        identifiers = [:]
        agent = "drill-agent"
        silenceMillis = 0
        atMillis = 0
        spacingMillis = 100
    }
}

/// What a drill expects, within a time objective.
public struct DrillExpectation: Sendable, Hashable {
    /// What is checked.
    public enum Check: Sendable, Hashable {
        /// A warning from a rule at a minimum level (optionally on a dataset).
        case warning(rule: String, minLevel: WarningLevel, dataset: String?)
        /// A dataset withdrawn (simulated in a drill: recorded, not enforced).
        case withdrawn(dataset: String)
        /// A subject restricted with a measure (or harder).
        case restricted(subject: String, measure: RestrictionMeasure)
        /// The dataset's traceback lists these subjects.
        case tracebackContains(dataset: String, subjects: [String])
        /// A restriction of the subject that the public notice would show (drill measures are never published).
        case noticePublished(subject: String)
    }

    /// Expectation id.
    public var id: String
    /// The check.
    public var check: Check
    /// Objective, milliseconds from the drill start.
    public var withinMillis: Int64
    /// MTTD, MTTR or time to warn (for the report).
    public var measure: String

    /// A one-line description.
    public var text: String {
        switch check {
        case .warning(let rule, let level, let dataset):
            "warning \(rule) at level ≥ \(level.rawValue)" + (dataset.map { " on \($0)" } ?? "")
        case .withdrawn(let dataset): "dataset \(dataset) withdrawn and verified"
        case .restricted(let subject, let measure): "subject \(subject) restricted (\(measure.rawValue) or harder)"
        case .tracebackContains(let dataset, let subjects):
            "traceback of \(dataset) lists \(subjects.joined(separator: ", "))"
        case .noticePublished(let subject): "notice published for \(subject)"
        }
    }
}
