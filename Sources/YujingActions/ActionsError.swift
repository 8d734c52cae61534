/// Errors raised by notification receivers.
public enum ActionsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The receiver answered with a non-2xx status.
    case httpStatus(receiver: String, status: Int)
    /// The request failed (connection refused, timeout...).
    case transport(receiver: String, reason: String)
    /// The payload could not be encoded.
    case encoding(String)

    /// One line for people.
    public var description: String {
        switch self {
        case .httpStatus(let receiver, let status): "\(receiver): HTTP \(status)"
        case .transport(let receiver, let reason): "\(receiver): \(reason)"
        case .encoding(let reason): "encoding: \(reason)"
        }
    }
}
