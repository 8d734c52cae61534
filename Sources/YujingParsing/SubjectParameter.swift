import YujingCore

/// A query parameter or JSON field that names the subject of a request.
public struct SubjectParameter: Sendable, Hashable, Codable {
    /// The parameter name (query) or key path (JSON), e.g. `appKey`, `http_x_app_key`.
    public var name: String
    /// What kind of subject it names.
    public var kind: Subject.Kind

    /// Creates a subject parameter.
    /// - Parameters:
    ///   - name: Parameter name or JSON key path.
    ///   - kind: Subject kind.
    public init(name: String, kind: Subject.Kind) {
        self.name = name
        self.kind = kind
    }
}
