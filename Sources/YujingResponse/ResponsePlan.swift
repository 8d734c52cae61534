import YujingCore

/// An emergency response plan (`Runbooks/*.yaml`, `plans:`): which warnings trigger which measure, automatically
/// or after an approval, and by whom.
public struct ResponsePlan: Sendable, Hashable {
    /// How the measure is taken.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// At once, with the plan as the approver.
        case automatic
        /// Proposed; an operator of the approver role approves it.
        case approval
    }

    /// The measure a plan takes.
    public enum Action: Sendable, Hashable {
        /// Withdraw the warning's dataset.
        case withdraw
        /// Restrict the warning's subject (or client address).
        case restrict(RestrictionTemplate)
    }

    /// Plan id (`[a-z0-9._-]+`).
    public var id: String
    /// Title.
    public var title: String
    /// Which warnings trigger it.
    public var trigger: PlanTrigger
    /// The measure.
    public var action: Action
    /// Automatic or after approval.
    public var mode: Mode
    /// Role whose operators approve (`datacenter` by default).
    public var approverRole: String
    /// Whether the owning agency is notified (withdrawals).
    public var notifyOwner: Bool
    /// Where it was defined (`file:line`).
    public var source: String

    /// Creates a plan.
    public init(
        id: String, title: String, trigger: PlanTrigger, action: Action, mode: Mode, approverRole: String = "datacenter",
        notifyOwner: Bool = true, source: String = ""
    ) {
        self.id = id
        self.title = title
        self.trigger = trigger
        self.action = action
        self.mode = mode
        self.approverRole = approverRole
        self.notifyOwner = notifyOwner
        self.source = source
    }
}

/// The warnings a plan answers.
public struct PlanTrigger: Sendable, Hashable {
    /// Rule ids; a trailing `*` matches a prefix. Empty matches any rule.
    public var rules: [String]
    /// Levels; empty matches any.
    public var levels: Set<WarningLevel>
    /// Only datasets of this open category (nil: any, including warnings without a dataset).
    public var datasetCategory: OpenCategory?
    /// Labels that must be present with these values.
    public var labels: [String: String]

    /// Creates a trigger.
    public init(
        rules: [String] = [], levels: Set<WarningLevel> = [], datasetCategory: OpenCategory? = nil,
        labels: [String: String] = [:]
    ) {
        self.rules = rules
        self.levels = levels
        self.datasetCategory = datasetCategory
        self.labels = labels
    }

    /// Whether a warning matches.
    /// - Parameters:
    ///   - rule: The warning's rule id.
    ///   - level: Its level.
    ///   - labels: Its labels.
    ///   - category: The open category of its dataset, when it names one in the catalogue.
    /// - Returns: Whether the plan applies.
    public func matches(rule: String, level: WarningLevel, labels: [String: String], category: OpenCategory?) -> Bool {
        if !rules.isEmpty {
            let hit = rules.contains { pattern in
                pattern.hasSuffix("*") ? rule.hasPrefix(pattern.dropLast()) : rule == pattern
            }
            guard hit else { return false }
        }
        if !levels.isEmpty, !levels.contains(level) { return false }
        if let datasetCategory, category != datasetCategory { return false }
        for (name, value) in self.labels where labels[name] != value { return false }
        return true
    }
}

/// What a restricting plan imposes.
public struct RestrictionTemplate: Sendable, Hashable {
    /// The measure.
    public var measure: RestrictionMeasure
    /// The warning label naming whom to restrict: `subject` (user or key) or `ip`.
    public var target: String
    /// First-offence duration, milliseconds (nil: until lifted; required for suspend).
    public var durationMillis: Int64?
    /// Requests per minute (throttle).
    public var ratePerMinute: Int?
    /// Escalation for repeat offenders.
    public var escalation: Escalation?
    /// The Art. 26 ground recorded with the measure.
    public var ground: Article26Ground

    /// Creates a template.
    public init(
        measure: RestrictionMeasure, target: String = "subject", durationMillis: Int64? = nil,
        ratePerMinute: Int? = nil, escalation: Escalation? = nil, ground: Article26Ground
    ) {
        self.measure = measure
        self.target = target
        self.durationMillis = durationMillis
        self.ratePerMinute = ratePerMinute
        self.escalation = escalation
        self.ground = ground
    }
}
