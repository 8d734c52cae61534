/// The kinds of correlation rule.
public enum RuleKind: String, Sendable, Codable, CaseIterable {
    /// Matching events, counted per key (one signal per episode; tiers over the count or a value field).
    case match
    /// Count of matching events per key in a sliding window.
    case threshold
    /// Distinct values of `field` per key in a sliding window.
    case distinct
    /// Sum of numeric `field` per key in a sliding window.
    case sum
    /// A `first` event then a `then` event with the same key within the window.
    case sequence
    /// No matching event for a key for longer than the window (driven by the watermark).
    case absence
    /// Per-bucket count far above the key's own EWMA history.
    case baseline
    /// Conditional dataset used without a valid approval, or use by a restricted subject.
    case scope
}
