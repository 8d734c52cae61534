import Foundation
import GRDB

extension YujingDatabase {
    /// Creates a token; only its hash is stored. Audited.
    /// - Parameters:
    ///   - name: Unique name.
    ///   - role: Role.
    ///   - actor: Who created it (for the audit log).
    ///   - nowMillis: Creation time.
    /// - Returns: The clear token (show it once).
    /// - Throws: ``StoreError/duplicate(_:)`` when the name is taken.
    public func createToken(name: String, role: TokenRole, actor: String, nowMillis: Int64) throws(StoreError) -> String
    {
        guard !name.isEmpty else { throw .invalid("token name is empty") }
        let (tokenID, token) = TokenSecret.generate()
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_token WHERE name = ?", arguments: [name]) == true {
                throw StoreError.duplicate("token \(name)")
            }
            try db.execute(
                sql: "INSERT INTO api_token (name, token_id, role, hash, created_ms) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, tokenID, role.rawValue, TokenSecret.hash(token), nowMillis])
            try Self.appendAudit(
                db, actor: actor, action: "token.create", target: name, detail: "role=\(role.rawValue)",
                nowMillis: nowMillis)
        }
        return token
    }

    /// Revokes a token by name. Audited.
    /// - Parameters:
    ///   - name: Token name.
    ///   - actor: Who revoked it.
    ///   - nowMillis: Time.
    /// - Throws: ``StoreError/notFound(_:)``.
    public func revokeToken(name: String, actor: String, nowMillis: Int64) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "UPDATE api_token SET revoked = 1, revoked_ms = ? WHERE name = ? AND revoked = 0",
                arguments: [nowMillis, name])
            guard db.changesCount == 1 else { throw StoreError.notFound("active token \(name)") }
            try Self.appendAudit(
                db, actor: actor, action: "token.revoke", target: name, detail: "", nowMillis: nowMillis)
        }
    }

    /// All tokens (hashes included, never clear tokens).
    /// - Returns: Tokens by name.
    /// - Throws: ``StoreError``.
    public func tokens() throws(StoreError) -> [APIToken] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, token_id, role, hash, created_ms, revoked FROM api_token ORDER BY name"
            ).map { row in
                APIToken(
                    name: row[0], tokenID: row[1], role: TokenRole(rawValue: row[2]) ?? .auditor, hash: row[3],
                    createdMillis: row[4], revoked: row[5])
            }
        }
    }

    /// Checks a clear token: finds its row by id and compares hashes in constant time.
    /// - Parameter token: The bearer token.
    /// - Returns: The token when valid and not revoked, else `nil`.
    /// - Throws: ``StoreError``.
    public func authenticate(token: String) throws(StoreError) -> APIToken? {
        guard let tokenID = TokenSecret.tokenID(of: token) else { return nil }
        let row = try read { db in
            try Row.fetchOne(
                db, sql: "SELECT name, role, hash, created_ms, revoked FROM api_token WHERE token_id = ?",
                arguments: [tokenID])
        }
        guard let row else { return nil }
        let stored: String = row[2]
        guard TokenSecret.constantTimeEquals(stored, TokenSecret.hash(token)) else { return nil }
        let revoked: Bool = row[4]
        guard !revoked, let role = TokenRole(rawValue: row[1]) else { return nil }
        return APIToken(name: row[0], tokenID: tokenID, role: role, hash: stored, createdMillis: row[3], revoked: false)
    }
}
