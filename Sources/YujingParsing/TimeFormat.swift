/// How a JSON log writes its time field.
public enum TimeFormat: String, Sendable, Codable, CaseIterable {
    /// Numbers as epoch seconds (below 10^11) or milliseconds; strings as ISO 8601 or combined-log time.
    case auto
    /// ISO 8601, e.g. `2026-05-17T10:05:03+08:00`, `2026-05-17T02:05:03.250Z`.
    case iso8601
    /// Epoch seconds, integral or fractional.
    case epochSeconds = "epoch_s"
    /// Epoch milliseconds.
    case epochMillis = "epoch_ms"
    /// Combined-log time, e.g. `17/May/2015:10:05:03 +0000`.
    case combined
}
