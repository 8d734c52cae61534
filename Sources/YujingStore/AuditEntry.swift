/// One row of the append-only, hash-chained audit log.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// Row number, 1-based and contiguous.
    public var id: Int64
    /// Time, epoch ms.
    public var timeMillis: Int64
    /// Who acted (token name, `cli`, `system`).
    public var actor: String
    /// What was done (`token.create`, `warning.acknowledge`...).
    public var action: String
    /// On what.
    public var target: String
    /// Details (no personal data, no secrets).
    public var detail: String
    /// Hash of the previous row (`"0"×64` for the first).
    public var previousHash: String
    /// SHA-256 over the previous hash and this row's fields.
    public var hash: String

    /// Creates an entry.
    /// - Parameters:
    ///   - id: Row number.
    ///   - timeMillis: Time.
    ///   - actor: Actor.
    ///   - action: Action.
    ///   - target: Target.
    ///   - detail: Detail.
    ///   - previousHash: Previous hash.
    ///   - hash: This row's hash.
    public init(
        id: Int64, timeMillis: Int64, actor: String, action: String, target: String, detail: String,
        previousHash: String, hash: String
    ) {
        self.id = id
        self.timeMillis = timeMillis
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }
}
