import Crypto
import Foundation
import YujingStore

/// Console sessions in memory: the cookie carries a random 256-bit id; only its SHA-256 is kept as the key, so a
/// memory dump does not yield usable cookies. A session ends after `idleMillis` without a request, after
/// `absoluteMillis` in all, at logout, or when its token is revoked.
actor SessionStore {
    private var sessions: [String: ConsoleSession] = [:]
    let idleMillis: Int64
    let absoluteMillis: Int64

    init(idleMillis: Int64, absoluteMillis: Int64) {
        self.idleMillis = idleMillis
        self.absoluteMillis = absoluteMillis
    }

    /// Starts a session; returns the cookie value (shown once) and the session.
    func create(for token: APIToken, nowMillis: Int64) -> (id: String, session: ConsoleSession) {
        purge(nowMillis: nowMillis)
        let id = Self.randomToken()
        let session = ConsoleSession(
            name: token.name, tokenID: token.tokenID, role: token.role, csrf: Self.randomToken(),
            createdMillis: nowMillis, lastSeenMillis: nowMillis)
        sessions[Self.key(id)] = session
        return (id, session)
    }

    /// The live session of a cookie value, touched; nil when unknown or expired (an expired one is removed).
    func session(id: String, nowMillis: Int64) -> ConsoleSession? {
        let key = Self.key(id)
        guard var session = sessions[key] else { return nil }
        if nowMillis - session.lastSeenMillis > idleMillis || nowMillis - session.createdMillis > absoluteMillis {
            sessions[key] = nil
            return nil
        }
        session.lastSeenMillis = nowMillis
        sessions[key] = session
        return session
    }

    /// Ends a session.
    func remove(id: String) { sessions[Self.key(id)] = nil }

    /// Ends every session of a token (revoked).
    func remove(tokenID: String) { sessions = sessions.filter { $0.value.tokenID != tokenID } }

    private func purge(nowMillis: Int64) {
        sessions = sessions.filter {
            nowMillis - $0.value.lastSeenMillis <= idleMillis && nowMillis - $0.value.createdMillis <= absoluteMillis
        }
    }

    static func key(_ id: String) -> String {
        SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 random bytes from the system generator, hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Compares two secrets in time independent of where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
