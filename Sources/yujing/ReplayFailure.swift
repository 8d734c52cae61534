/// A replay that cannot start (unreadable file, invalid rules or configuration): printed without usage text.
struct ReplayFailure: Error, CustomStringConvertible {
    let message: String

    var description: String { message }
}
