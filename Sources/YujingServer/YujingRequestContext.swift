import Hummingbird
import YujingStore

/// The request context: Hummingbird's core storage plus the authenticated token.
public struct YujingRequestContext: RequestContext {
    /// Core storage.
    public var coreContext: CoreRequestContextStorage
    /// The caller, set by ``AuthMiddleware``.
    public var principal: APIToken?

    /// Creates a context for a request.
    /// - Parameter source: Source.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }

    /// Requires the caller to hold one of the roles.
    /// - Parameter roles: Allowed roles.
    /// - Returns: The caller.
    /// - Throws: `HTTPError(.unauthorized)` without a caller, `HTTPError(.forbidden)` for another role.
    func require(_ roles: Set<TokenRole>) throws -> APIToken {
        guard let principal else { throw HTTPError(.unauthorized, message: "missing or invalid bearer token") }
        guard roles.contains(principal.role) else {
            throw HTTPError(.forbidden, message: "role \(principal.role.rawValue) may not do this")
        }
        return principal
    }
}

extension Set where Element == TokenRole {
    static let readers: Set<TokenRole> = [.analyst, .datacenter, .ops, .auditor]
    static let handlers: Set<TokenRole> = [.analyst, .datacenter, .ops]
    static let ingesters: Set<TokenRole> = [.agent]
}
