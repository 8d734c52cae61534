/// A stored API token (its hash only; the clear token is shown once at creation and never stored).
public struct APIToken: Sendable, Hashable, Codable {
    /// Unique name.
    public var name: String
    /// Public lookup id (the part of the token before the secret).
    public var tokenID: String
    /// Role.
    public var role: TokenRole
    /// Hex SHA-256 of the whole token.
    public var hash: String
    /// Creation time, epoch ms.
    public var createdMillis: Int64
    /// Whether the token was revoked.
    public var revoked: Bool

    /// Creates a token value.
    /// - Parameters:
    ///   - name: Name.
    ///   - tokenID: Lookup id.
    ///   - role: Role.
    ///   - hash: Hash.
    ///   - createdMillis: Creation time.
    ///   - revoked: Revoked flag.
    public init(name: String, tokenID: String, role: TokenRole, hash: String, createdMillis: Int64, revoked: Bool) {
        self.name = name
        self.tokenID = tokenID
        self.role = role
        self.hash = hash
        self.createdMillis = createdMillis
        self.revoked = revoked
    }
}
