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
    public func require(_ roles: Set<TokenRole>) throws -> APIToken {
        guard let principal else { throw HTTPError(.unauthorized, message: "missing or invalid bearer token") }
        guard roles.contains(principal.role) else {
            throw HTTPError(.forbidden, message: "role \(principal.role.rawValue) may not do this")
        }
        return principal
    }
}

/// The role sets the API checks; the console uses the same ones.
extension Set where Element == TokenRole {
    /// May read warnings, measures, agents and the audit log.
    public static let readers: Set<TokenRole> = [.analyst, .datacenter, .ops, .auditor]
    /// May acknowledge, resolve and silence warnings.
    public static let handlers: Set<TokenRole> = [.analyst, .datacenter, .ops]
    /// May send events and read the enforcement document.
    public static let ingesters: Set<TokenRole> = [.agent]
    /// May withdraw, approve, cancel and restore withdrawals, and approve closures.
    public static let withdrawers: Set<TokenRole> = [.datacenter]
    /// May impose and lift restrictions.
    public static let proposers: Set<TokenRole> = [.analyst, .datacenter]
    /// May read tracebacks.
    public static let tracers: Set<TokenRole> = [.analyst, .datacenter, .auditor]
    /// Start and finish drills, and send drill events.
    public static let drillRunners: Set<TokenRole> = [.ops, .datacenter]
}
