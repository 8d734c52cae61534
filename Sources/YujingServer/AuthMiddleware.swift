import Hummingbird
import YujingStore

/// Bearer-token authentication: 401 when the token is missing, malformed, unknown or revoked. Role checks (403)
/// are made by each route.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = YujingRequestContext
    let database: YujingDatabase

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing bearer token")
        }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        let principal: APIToken?
        do {
            principal = try database.authenticate(token: token)
        } catch {
            throw HTTPError(.internalServerError, message: "authentication unavailable")
        }
        guard let principal else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "invalid or revoked token")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "token.name"] = "\(principal.name)"
        return try await next(request, context)
    }
}
