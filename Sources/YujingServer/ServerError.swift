/// Errors raised by the daemon's set-up and pipeline.
public enum ServerError: Error, Sendable, CustomStringConvertible {
    /// The configuration file is invalid: `file:line:column: reason`.
    case configuration(String)
    /// Rules could not be loaded: `file:line:column: reason`.
    case rules(String)
    /// A storage failure.
    case store(String)
    /// An ingest batch is invalid; names the offending field (e.g. `events[3].time`).
    case invalidBatch(String)

    /// One line for people.
    public var description: String {
        switch self {
        case .configuration(let reason): "configuration: \(reason)"
        case .rules(let reason): "rules: \(reason)"
        case .store(let reason): "store: \(reason)"
        case .invalidBatch(let reason): reason
        }
    }
}
