/// A data user (person or application) known to the platform, with any restriction in force (Art. 26).
public struct SubjectRecord: Sendable, Hashable, Codable {
    /// Subject id.
    public var id: String
    /// `user`, `app_key` or `token`.
    public var kind: String
    /// Display name.
    public var name: String?
    /// Organisation.
    public var organisation: String?
    /// Restricted from, epoch ms.
    public var restrictedFromMillis: Int64?
    /// Restricted until, epoch ms (`nil`: indefinitely, when restricted).
    public var restrictedUntilMillis: Int64?

    /// Creates a subject.
    /// - Parameters:
    ///   - id: Id.
    ///   - kind: Kind.
    ///   - name: Name.
    ///   - organisation: Organisation.
    ///   - restrictedFromMillis: Restriction start.
    ///   - restrictedUntilMillis: Restriction end.
    public init(
        id: String, kind: String, name: String? = nil, organisation: String? = nil, restrictedFromMillis: Int64? = nil,
        restrictedUntilMillis: Int64? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.organisation = organisation
        self.restrictedFromMillis = restrictedFromMillis
        self.restrictedUntilMillis = restrictedUntilMillis
    }
}
