/// A dataset release folder: a path pattern with one `{dataset}` component naming the dataset id.
public struct DatasetSource: Sendable, Equatable {
    /// The pattern, e.g. `/srv/releases/{dataset}/*`; other components may hold glob characters.
    public var pattern: String

    /// Creates a source.
    /// - Parameter pattern: The path pattern.
    public init(pattern: String) {
        self.pattern = pattern
    }

    /// The pattern as a glob (`{dataset}` replaced by `*`).
    public var glob: String { pattern.replacingOccurrences(of: "{dataset}", with: "*") }

    /// The dataset id for a path the glob matched: the path component where the pattern has `{dataset}`.
    /// - Parameter path: A matched path.
    /// - Returns: The dataset id, or nil when the path does not have the pattern's shape.
    public func datasetID(for path: String) -> String? {
        let patternParts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let pathParts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard patternParts.count == pathParts.count,
            let index = patternParts.firstIndex(where: { $0.contains("{dataset}") })
        else { return nil }
        let part = patternParts[index]
        let text = pathParts[index]
        let pieces = part.components(separatedBy: "{dataset}")
        guard pieces.count == 2, text.hasPrefix(pieces[0]), text.hasSuffix(pieces[1]),
            text.count > pieces[0].count + pieces[1].count
        else { return nil }
        return String(text.dropFirst(pieces[0].count).dropLast(pieces[1].count))
    }
}
