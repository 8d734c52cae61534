/// A data user as identified in an access log: a user id, an application key or a token.
public struct Subject: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How a subject was identified.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A platform user id.
        case user
        /// An application key (a credential: shown masked).
        case appKey = "app_key"
        /// An access token (a credential: shown masked).
        case token
    }

    /// How the subject was identified.
    public var kind: Kind
    /// The identifier as it appears in the log.
    public var id: String

    /// Creates a subject.
    /// - Parameters:
    ///   - kind: How the subject was identified.
    ///   - id: The identifier.
    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    /// Whether the identifier is a credential that must never be shown in clear.
    public var isCredential: Bool { kind != .user }

    /// The identifier safe to show: user ids as they are; keys and tokens keep their first and last four
    /// characters (`abcd…wxyz`), or only `…` when shorter than 12.
    public var displayID: String { Subject.mask(id, kind: kind) }

    /// `kind:displayID`, never the clear credential.
    public var description: String { "\(kind.rawValue):\(displayID)" }

    /// Masks an identifier of the given kind as ``displayID`` does.
    /// - Parameters:
    ///   - id: The identifier.
    ///   - kind: How it identifies a subject.
    /// - Returns: The identifier as it may be shown.
    public static func mask(_ id: String, kind: Kind) -> String {
        guard kind != .user else { return id }
        let characters = Array(id)
        guard characters.count >= 12 else { return "…" }
        return String(characters.prefix(4)) + "…" + String(characters.suffix(4))
    }
}
