/// Errors of the agent module.
public enum AgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration file is invalid: file, 1-based line (0 when unknown) and reason.
    case configuration(file: String, line: Int, reason: String)
    /// A file or directory operation failed: the path and the reason (never file content).
    case io(path: String, reason: String)
    /// The center refused a batch for good (4xx other than auth): the batch id and HTTP status.
    case rejected(batchID: String, status: Int)
    /// The center could not be reached or answered with a retryable status.
    case unreachable(reason: String)
    /// Encoding a batch failed.
    case encoding(String)

    /// A human-readable description, naming paths and lines but never content.
    public var description: String {
        switch self {
        case .configuration(let file, let line, let reason):
            return line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)"
        case .io(let path, let reason): return "\(path): \(reason)"
        case .rejected(let batchID, let status): return "batch \(batchID) rejected with HTTP \(status)"
        case .unreachable(let reason): return "center unreachable: \(reason)"
        case .encoding(let reason): return "cannot encode batch: \(reason)"
        }
    }
}
