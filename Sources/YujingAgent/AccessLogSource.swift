import YujingParsing

/// One access-log source: path globs and how to parse their lines.
public struct AccessLogSource: Sendable, Equatable {
    /// Where to start in files found on the agent's very first run.
    public enum StartPosition: String, Sendable, Equatable {
        /// Read existing content.
        case beginning
        /// Skip existing content (files appearing later are always read from their start).
        case end
    }

    /// Source name (in logs and metrics).
    public var name: String
    /// Path globs (`*`, `?`, `[...]` as in `glob(3)`).
    public var paths: [String]
    /// Start position on the first run.
    public var startAt: StartPosition
    /// Line parsing: format, JSON field map, URL patterns (the same as `yujing replay --field-map`).
    public var parse: ParseConfiguration

    /// Creates a source.
    /// - Parameters:
    ///   - name: Source name.
    ///   - paths: Path globs.
    ///   - startAt: Start position on the first run.
    ///   - parse: Line parsing.
    public init(name: String, paths: [String], startAt: StartPosition = .end, parse: ParseConfiguration = .default) {
        self.name = name
        self.paths = paths
        self.startAt = startAt
        self.parse = parse
    }
}
