import YujingCore

/// One correlation rule, as loaded from `Alerts/*.yaml` and validated.
public struct RuleDefinition: Sendable, Hashable, Codable, Identifiable {
    /// Stable id (`[a-z0-9._-]+`), used in fingerprints and labels.
    public var id: String
    /// Human title.
    public var title: String
    /// Longer description.
    public var description: String?
    /// Rule kind.
    public var kind: RuleKind
    /// Whether the engine evaluates the rule.
    public var enabled: Bool
    /// Tiers by measure, ascending by ``LevelTier/minimum`` (a plain `level` is one tier).
    public var tiers: [LevelTier]
    /// Static labels added to every signal.
    public var labels: [String: String]
    /// Annotation templates (`{{subject}}`, `{{dataset}}`, `{{count}}`…), rendered over masked values.
    public var annotations: [String: String]
    /// Fields forming the group key; events missing one of them are skipped by the rule.
    public var groupBy: [EventField]
    /// Window length in milliseconds (the silence threshold for `absence`).
    public var windowMillis: Int64
    /// Conditions every considered event must meet (for `sequence`, both steps).
    public var filter: [FieldCondition]
    /// `sequence` only: conditions of the second step (`filter` plus ``first`` select the first step).
    public var then: [FieldCondition]
    /// `sequence` only: conditions of the first step.
    public var first: [FieldCondition]
    /// `distinct`, `sum`: the field aggregated; `match`: optional numeric field whose value tiers compare against.
    public var field: EventField?
    /// `baseline` only.
    public var baseline: BaselineParameters?
    /// `scope` only.
    public var scope: ScopeCheck?
    /// `absence` only: keys expected from the start, even if never seen.
    public var expectedKeys: [String]
    /// Where the rule was defined.
    public var source: RuleSource?

    /// Creates a rule.
    /// - Parameters:
    ///   - id: Id.
    ///   - title: Title.
    ///   - description: Description.
    ///   - kind: Kind.
    ///   - enabled: Enabled flag.
    ///   - tiers: Tiers.
    ///   - labels: Labels.
    ///   - annotations: Annotation templates.
    ///   - groupBy: Group-key fields.
    ///   - windowMillis: Window.
    ///   - filter: Conditions.
    ///   - then: Second-step conditions (sequence).
    ///   - first: First-step conditions (sequence).
    ///   - field: Aggregated field.
    ///   - baseline: Baseline parameters.
    ///   - scope: Scope check.
    ///   - expectedKeys: Expected keys (absence).
    ///   - source: Definition site.
    public init(
        id: String, title: String, description: String? = nil, kind: RuleKind, enabled: Bool = true,
        tiers: [LevelTier], labels: [String: String] = [:], annotations: [String: String] = [:],
        groupBy: [EventField] = [], windowMillis: Int64 = 60_000, filter: [FieldCondition] = [],
        then: [FieldCondition] = [], first: [FieldCondition] = [], field: EventField? = nil,
        baseline: BaselineParameters? = nil, scope: ScopeCheck? = nil, expectedKeys: [String] = [],
        source: RuleSource? = nil
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.kind = kind
        self.enabled = enabled
        self.tiers = tiers.sorted { $0.minimum < $1.minimum }
        self.labels = labels
        self.annotations = annotations
        self.groupBy = groupBy
        self.windowMillis = windowMillis
        self.filter = filter
        self.then = then
        self.first = first
        self.field = field
        self.baseline = baseline
        self.scope = scope
        self.expectedKeys = expectedKeys
        self.source = source
    }

    /// The most severe level the rule can raise.
    public var maximumLevel: WarningLevel { tiers.map(\.level).max() ?? .IV }
}
