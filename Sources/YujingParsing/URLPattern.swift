import YujingCore

/// A path pattern that names a dataset (and optionally the channel and a subject) in a request path.
///
/// Segments are literal, or captures in braces: `{dataset}` (the dataset id), `{subject}` (a user id in the path),
/// any other `{name}` (one segment, ignored), or `{**}` (the rest of the path, zero or more segments, last only).
/// Example: `/api/v1/datasets/{dataset}/download`. Literal segments compare exactly (case-sensitive).
public struct URLPattern: Sendable, Hashable, Codable {
    /// The pattern text.
    public var pattern: String
    /// The channel a matching request uses, if the pattern implies one.
    public var channel: AccessChannel?

    /// Creates a pattern.
    /// - Parameters:
    ///   - pattern: The pattern, starting with `/`.
    ///   - channel: The channel it implies.
    public init(_ pattern: String, channel: AccessChannel? = nil) {
        self.pattern = pattern
        self.channel = channel
    }
}
