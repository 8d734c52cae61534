/// Durations in rule files: `500ms`, `30s`, `10m`, `2h`, `1d`, `1w`, or a bare number of seconds.
public enum DurationText {
    /// Milliseconds of a duration text, or nil.
    public static func milliseconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces
        let units: [(String, Double)] = [
            ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
            ("w", 604_800_000),
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            // "ms" also ends with "s": only accept when the rest is a number.
            guard let value = Double(number), value >= 0 else { continue }
            return Int64((value * factor).rounded())
        }
        guard let seconds = Double(trimmed), seconds >= 0 else { return nil }
        return Int64((seconds * 1_000).rounded())
    }

    /// The shortest text of a duration (`1d`, `90m`, `500ms`).
    public static func text(_ millis: Int64) -> String {
        if millis % 86_400_000 == 0 { return "\(millis / 86_400_000)d" }
        if millis % 3_600_000 == 0 { return "\(millis / 3_600_000)h" }
        if millis % 60_000 == 0 { return "\(millis / 60_000)m" }
        if millis % 1_000 == 0 { return "\(millis / 1_000)s" }
        return "\(millis)ms"
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
