import Foundation
import YujingCore

/// A graded warning raised by the engine when a key crosses a rule's threshold or escalates to a higher tier.
///
/// Labels and annotations hold masked values only (credentials such as app keys and tokens appear as `abcd…wxyz`).
public struct WarningSignal: Sendable, Hashable, Codable {
    /// The rule that fired.
    public var ruleID: String
    /// The rule's title.
    public var title: String
    /// The level reached.
    public var level: WarningLevel
    /// Whether this signal raises the level of an episode that had already fired for the key.
    public var isEscalation: Bool
    /// Labels: `alertname`, `rule`, `level`, the rule's labels and the group-key fields (masked).
    public var labels: [String: String]
    /// Rendered annotations.
    public var annotations: [String: String]
    /// Event time at which the condition was met, epoch ms.
    public var startsAtMillis: Int64
    /// Number of events behind the signal (in the window, or since the episode began).
    public var count: Int
    /// The rule's measure (count, sum, distinct values, bucket count, silent minutes, field value).
    public var value: Double
    /// Stable hash of the rule id and the group-key values: same rule and key → same fingerprint.
    public var fingerprint: String
    /// One-line summary of the evidence (masked).
    public var evidence: String
    /// The group-by values in clear (`subject`, `ip`, `dataset`, ...) and `subject_kind`, for response measures only:
    /// never shown, stored or sent.
    public var keys: [String: String]? = nil

    /// Creates a signal.
    /// - Parameters:
    ///   - ruleID: Rule id.
    ///   - title: Rule title.
    ///   - level: Level.
    ///   - isEscalation: Whether it escalates an episode.
    ///   - labels: Labels.
    ///   - annotations: Annotations.
    ///   - startsAtMillis: Event time.
    ///   - count: Event count.
    ///   - value: Measure.
    ///   - fingerprint: Fingerprint.
    ///   - evidence: Evidence summary.
    public init(
        ruleID: String, title: String, level: WarningLevel, isEscalation: Bool, labels: [String: String],
        annotations: [String: String], startsAtMillis: Int64, count: Int, value: Double, fingerprint: String,
        evidence: String
    ) {
        self.ruleID = ruleID
        self.title = title
        self.level = level
        self.isEscalation = isEscalation
        self.labels = labels
        self.annotations = annotations
        self.startsAtMillis = startsAtMillis
        self.count = count
        self.value = value
        self.fingerprint = fingerprint
        self.evidence = evidence
    }

    /// ``startsAtMillis`` as a `Date`.
    public var startsAt: Date { Date(timeIntervalSince1970: Double(startsAtMillis) / 1000) }
}
