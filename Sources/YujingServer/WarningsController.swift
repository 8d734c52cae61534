import Foundation
import Hummingbird
import YujingCore
import YujingStore

/// `/api/v1/warnings`: list with filters, show, acknowledge, resolve, silence.
struct WarningsController {
    let database: YujingDatabase
    let pipeline: Pipeline

    struct Action: Decodable {
        var comment: String?
    }

    struct SilenceRequest: Decodable {
        var comment: String
        var expires_at: String?
        var duration_seconds: Int?
    }

    struct SilenceView: ResponseEncodable {
        var id: Int64
        var fingerprint: String?
        var rule: String?
        var author: String
        var comment: String
        var expires_at: String
        var warning: WarningView
    }

    func addRoutes(to group: RouterGroup<YujingRequestContext>) {
        group.get("warnings", use: list)
        group.get("warnings/{id}", use: show)
        group.post("warnings/{id}/acknowledge", use: acknowledge)
        group.post("warnings/{id}/resolve", use: resolve)
        group.post("warnings/{id}/silence", use: silence)
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Sendable func list(request: Request, context: YujingRequestContext) async throws -> WarningList {
        _ = try context.require(.readers)
        let query = request.uri.queryParameters
        var filter = WarningFilter()
        if let text = query["level"].map(String.init) {
            guard let level = WarningLevel.parse(text) else { throw HTTPError(.badRequest, message: "level: unknown") }
            filter.level = level
        }
        if let text = query["state"].map(String.init) {
            guard let state = WarningState(rawValue: text) else {
                throw HTTPError(.badRequest, message: "state: expected firing, acknowledged, resolved or silenced")
            }
            filter.state = state
        }
        filter.rule = query["rule"].map(String.init)
        filter.dataset = query["dataset"].map(String.init)
        filter.subject = query["subject"].map(String.init)
        filter.drill = query["drill"].map(String.init)
        if let text = query["limit"].map(String.init) {
            guard let limit = Int(text), limit > 0 else { throw HTTPError(.badRequest, message: "limit: expected > 0") }
            filter.limit = limit
        }
        return WarningList(warnings: try Self.store { try database.warnings(filter) }.map { WarningView($0) })
    }

    @Sendable func show(request: Request, context: YujingRequestContext) async throws -> WarningView {
        _ = try context.require(.readers)
        let id = try context.parameters.require("id", as: Int64.self)
        guard let warning = try Self.store({ try database.warning(id: id) }) else {
            throw HTTPError(.notFound, message: "warning \(id) not found")
        }
        return WarningView(warning, history: try Self.store { try database.warningHistory(id: id) })
    }

    @Sendable func acknowledge(request: Request, context: YujingRequestContext) async throws -> WarningView {
        try await transition(request: request, context: context, to: .acknowledged)
    }

    @Sendable func resolve(request: Request, context: YujingRequestContext) async throws -> WarningView {
        try await transition(request: request, context: context, to: .resolved)
    }

    func transition(request: Request, context: YujingRequestContext, to state: WarningState) async throws
        -> WarningView
    {
        let caller = try context.require(.handlers)
        let id = try context.parameters.require("id", as: Int64.self)
        let action = try await Self.decodeOptional(Action.self, request: request, context: context)
        let warning = try Self.store {
            try database.transitionWarning(
                id: id, to: state, author: caller.name, comment: action?.comment, nowMillis: Self.now())
        }
        if state == .resolved { await pipeline.announceResolved(warning) }
        return WarningView(warning)
    }

    @Sendable func silence(request: Request, context: YujingRequestContext) async throws -> SilenceView {
        let caller = try context.require(.handlers)
        let id = try context.parameters.require("id", as: Int64.self)
        let body = try await request.decode(as: SilenceRequest.self, context: context)
        let now = Self.now()
        var expires: Int64
        if let text = body.expires_at {
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw HTTPError(.badRequest, message: "expires_at: expected RFC 3339 time")
            }
            expires = Int64(date.timeIntervalSince1970 * 1000)
        } else if let seconds = body.duration_seconds, seconds > 0 {
            expires = now + Int64(seconds) * 1000
        } else {
            throw HTTPError(.badRequest, message: "expires_at or duration_seconds is required")
        }
        guard !body.comment.isEmpty else { throw HTTPError(.badRequest, message: "comment: required") }
        let silence = try Self.store {
            try database.silenceWarning(
                id: id, author: caller.name, comment: body.comment, expiresMillis: expires, nowMillis: now)
        }
        guard let warning = try Self.store({ try database.warning(id: id) }) else {
            throw HTTPError(.notFound, message: "warning \(id) not found")
        }
        expires = silence.expiresMillis
        return SilenceView(
            id: silence.id, fingerprint: silence.fingerprint, rule: silence.rule, author: silence.author,
            comment: silence.comment, expires_at: WarningView.time(expires), warning: WarningView(warning))
    }

    static func decodeOptional<T: Decodable>(_ type: T.Type, request: Request, context: YujingRequestContext)
        async throws -> T?
    {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        guard buffer.readableBytes > 0 else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw HTTPError(.badRequest, message: "body: invalid JSON")
        }
    }

    /// Maps store errors to HTTP errors.
    static func store<T>(_ body: () throws -> T) throws(HTTPError) -> T {
        do {
            return try body()
        } catch let error as HTTPError {
            throw error
        } catch {
            guard let error = error as? StoreError else {
                throw HTTPError(.internalServerError, message: "storage error")
            }
            switch error {
            case .notFound(let what): throw HTTPError(.notFound, message: "not found: \(what)")
            case .invalid(let what): throw HTTPError(.conflict, message: what)
            case .duplicate(let what): throw HTTPError(.conflict, message: "already exists: \(what)")
            case .open, .database: throw HTTPError(.internalServerError, message: "storage error")
            }
        }
    }
}
