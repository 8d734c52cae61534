/// Errors raised by ``YujingDatabase``.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database could not be opened or migrated.
    case open(path: String, reason: String)
    /// A name that must be unique is taken (token name, dataset id...).
    case duplicate(String)
    /// No row with this identity.
    case notFound(String)
    /// A value is not acceptable (role name, empty field...).
    case invalid(String)
    /// An SQLite failure, with its message.
    case database(String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .open(let path, let reason): "cannot open database \(path): \(reason)"
        case .duplicate(let what): "already exists: \(what)"
        case .notFound(let what): "not found: \(what)"
        case .invalid(let what): "invalid: \(what)"
        case .database(let message): "database error: \(message)"
        }
    }
}
