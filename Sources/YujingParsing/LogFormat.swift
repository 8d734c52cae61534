/// The access-log formats the parser reads.
public enum LogFormat: String, Sendable, Codable, CaseIterable {
    /// nginx/Apache "combined" (and "common", which lacks referer and user agent).
    case combined
    /// One JSON object per line, read through a ``JSONFieldMap``.
    case json

    /// Parses a format name; `nginx`, `apache` and `common` mean ``combined``, `jsonl` means ``json``.
    /// - Parameter name: The name.
    /// - Returns: The format, or `nil`.
    public static func named(_ name: String) -> LogFormat? {
        switch name.lowercased() {
        case "combined", "nginx", "apache", "common", "clf": .combined
        case "json", "jsonl", "ndjson": .json
        default: nil
        }
    }
}
