import YujingStore

/// A signed-in operator: who, with which role, and the session's CSRF token.
struct ConsoleSession: Sendable, Hashable {
    /// Token name.
    var name: String
    /// Token id (the session ends when this token is revoked).
    var tokenID: String
    /// Role.
    var role: TokenRole
    /// CSRF token for this session's forms.
    var csrf: String
    /// Created, epoch ms.
    var createdMillis: Int64
    /// Last request, epoch ms.
    var lastSeenMillis: Int64

    /// Whether the role may do what a role set allows.
    func may(_ roles: Set<TokenRole>) -> Bool { roles.contains(role) }
}
