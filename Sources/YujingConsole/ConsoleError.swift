/// Why a console request was refused; each maps to an HTTP status and a label.
enum ConsoleError: Error, Sendable {
    /// No session (401).
    case notSignedIn
    /// Missing or wrong CSRF token (403).
    case csrf
    /// The role may not do this (403).
    case forbidden
    /// No such object (404).
    case notFound
    /// The request is wrong (400) or conflicts with the current state (409), with the API's message.
    case rejected(status: Int, message: String)
}
