/// A silence: warnings with its fingerprint (or, without one, its rule) raise no notification until it expires.
public struct SilenceRecord: Sendable, Hashable, Codable {
    /// Id.
    public var id: Int64
    /// Fingerprint silenced.
    public var fingerprint: String?
    /// Rule.
    public var rule: String?
    /// Who.
    public var author: String
    /// Why.
    public var comment: String
    /// Created, epoch ms.
    public var createdMillis: Int64
    /// Expiry, epoch ms.
    public var expiresMillis: Int64

    /// Creates a silence value.
    /// - Parameters:
    ///   - id: Id.
    ///   - fingerprint: Fingerprint.
    ///   - rule: Rule.
    ///   - author: Author.
    ///   - comment: Comment.
    ///   - createdMillis: Created.
    ///   - expiresMillis: Expiry.
    public init(
        id: Int64, fingerprint: String?, rule: String?, author: String, comment: String, createdMillis: Int64,
        expiresMillis: Int64
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.rule = rule
        self.author = author
        self.comment = comment
        self.createdMillis = createdMillis
        self.expiresMillis = expiresMillis
    }
}
