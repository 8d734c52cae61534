import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import YujingServer
import YujingStore

/// The console's routes: sign-in, pages and form actions.
struct ConsoleController: Sendable {
    let database: YujingDatabase
    let pipeline: Pipeline
    let responder: Responder
    let sessions: SessionStore
    let renderer: ConsoleRenderer
    /// Starts drills (as `yujing drill run`).
    let launcher: DrillLauncher
    /// The runbooks folder (drills offered on the drills page).
    let runbooks: String

    static let sessionCookie = "yj_session"
    static let loginCookie = "yj_login"
    static let languageCookie = "lang"

    func addRoutes(to router: Router<YujingRequestContext>) {
        router.get("console") { _, _ in Self.redirect("/console/warnings") }
        let group = router.group("console")
        group.get("assets/{file}", use: asset)
        group.get("login", use: loginPage)
        group.post("login", use: login)
        group.post("logout", use: logout)
        group.get("lang", use: switchLanguage)
        group.get("warnings", use: warningsPage)
        group.get("warnings/live", use: warningsLive)
        group.get("warnings/{id}", use: warningPage)
        group.post("warnings/{id}/{action}", use: warningAction)
        group.get("withdrawals", use: withdrawalsPage)
        group.post("withdrawals/{id}/{action}", use: withdrawalAction)
        group.get("restrictions", use: restrictionsPage)
        group.post("restrictions/{id}/{action}", use: restrictionAction)
        group.get("traceback", use: tracebackPage)
        group.get("traceback.csv", use: tracebackCSV)
        group.get("agents", use: agentsPage)
        group.get("audit", use: auditPage)
        group.get("drills", use: drillsPage)
        group.get("drills/{id}", use: drillPage)
        group.post("drills/start", use: startDrill)
    }

    // MARK: Request helpers

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    static func time(_ millis: Int64?) -> String {
        guard let millis else { return "—" }
        return Date(timeIntervalSince1970: Double(millis) / 1000).formatted(.iso8601)
    }

    static func language(_ request: Request) -> ConsoleLanguage {
        ConsoleLanguage.choose(
            cookie: request.cookies[languageCookie]?.value, acceptLanguage: request.headers[.acceptLanguage])
    }

    /// Whether the request reached us over TLS (directly or through a proxy that says so).
    static func overTLS(_ request: Request) -> Bool {
        if request.head.scheme?.lowercased() == "https" { return true }
        if let name = HTTPField.Name("X-Forwarded-Proto"), let proto = request.headers[name] {
            return proto.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
        }
        return false
    }

    /// The path and query of the request, to come back to (without the `done` flag of a previous action).
    static func here(_ request: Request) -> String {
        let kept = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("done=") && $0 != "done" }
        return request.uri.path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }

    /// A local path to return to: only console and public-notice pages, never another host.
    static func safeBack(_ text: String?, default fallback: String = "/console/warnings") -> String {
        guard let text, text.hasPrefix("/console") || text.hasPrefix("/public/"),
            !text.contains("//"), !text.contains("\\"), !text.contains("\r"), !text.contains("\n")
        else { return fallback }
        return text
    }

    /// The live session of the request, or nil. A revoked token ends its sessions.
    func currentSession(_ request: Request) async -> ConsoleSession? {
        guard let id = request.cookies[Self.sessionCookie]?.value, !id.isEmpty else { return nil }
        guard let session = await sessions.session(id: id, nowMillis: Self.now()) else { return nil }
        let active = (try? database.tokens().contains { $0.tokenID == session.tokenID && !$0.revoked }) ?? false
        guard active else {
            await sessions.remove(tokenID: session.tokenID)
            return nil
        }
        return session
    }

    // MARK: Responses

    static func securityHeaders() -> HTTPFields {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .xContentTypeOptions: "nosniff",
        ]
        if let name = HTTPField.Name("Referrer-Policy") { headers[name] = "same-origin" }
        return headers
    }

    static func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok, cookies: [Cookie] = []) -> Response {
        var response = Response(
            status: status, headers: securityHeaders(), body: .init(byteBuffer: ByteBuffer(string: text)))
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int, request: Request, path: String = "/console")
        -> Cookie
    {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: path, secure: overTLS(request), httpOnly: true,
            sameSite: .strict)
    }

    static let navigation: [(key: String, href: String, roles: Set<TokenRole>)] = [
        ("warnings", "/console/warnings", .readers), ("withdrawals", "/console/withdrawals", .readers),
        ("restrictions", "/console/restrictions", .readers), ("traceback", "/console/traceback", .tracers),
        ("agents", "/console/agents", .readers), ("drills", "/console/drills", .readers),
        ("audit", "/console/audit", .readers),
        ("notices", "/public/notices", Set(TokenRole.allCases)),
    ]

    /// Renders a template inside the layout.
    func page(
        _ request: Request, session: ConsoleSession?, language: ConsoleLanguage, current: String, template: String,
        context: [String: Any], status: HTTPResponse.Status = .ok, cookies: [Cookie] = []
    ) -> Response {
        var values = context
        let back = Self.here(request)
        let labels = ConsoleStrings.labels(language)
        values["t"] = labels
        values["lang"] = language.rawValue
        values["otherLang"] = language.other.rawValue
        values["backQuery"] = FormBody.encode(back)
        if values["back"] == nil { values["back"] = back }
        if let session {
            values["csrf"] = session.csrf
            values["user"] = [
                "name": session.name,
                "roleLabel": ConsoleStrings.text("role_\(session.role.rawValue)", language),
                "nav": Self.navigation.filter { $0.roles.contains(session.role) }.map { item -> [String: Any] in
                    ["key": item.key, "href": item.href, "label": labels["nav_\(item.key)"] ?? item.key,
                     "current": item.key == current]
                },
            ] as [String: Any]
        }
        if request.uri.queryParameters["done"] != nil { values["flash"] = labels["done"] }
        values["pageTitle"] = labels["nav_\(current)"] ?? labels["login_title"] ?? ""
        values["body"] = renderer.render(template, values)
        return Self.html(renderer.render("layout", values), status: status, cookies: cookies)
    }

    /// A refusal or failure page with the matching status.
    func failure(_ request: Request, session: ConsoleSession?, language: ConsoleLanguage, error: Error) -> Response {
        let (status, text) = Self.describe(error, language: language)
        return page(
            request, session: session, language: language, current: "error", template: "message",
            context: [
                "heading": ConsoleStrings.text("error_title", language), "text": text,
                "backLink": session == nil ? "/console/login" : "/console/warnings",
            ], status: status)
    }

    static func describe(_ error: Error, language: ConsoleLanguage) -> (HTTPResponse.Status, String) {
        switch error {
        case let error as ConsoleError:
            switch error {
            case .notSignedIn: return (.unauthorized, ConsoleStrings.text("not_signed_in", language))
            case .csrf: return (.forbidden, ConsoleStrings.text("csrf_failed", language))
            case .forbidden: return (.forbidden, ConsoleStrings.text("forbidden", language))
            case .notFound: return (.notFound, ConsoleStrings.text("not_found", language))
            case .rejected(let status, let message): return (HTTPResponse.Status(code: status), message)
            }
        case let error as StoreError:
            switch error {
            case .notFound(let what): return (.notFound, "\(ConsoleStrings.text("not_found", language)) \(what)")
            case .invalid(let what), .duplicate(let what): return (.conflict, what)
            case .open, .database: return (.internalServerError, "storage error")
            }
        case let error as HTTPError:
            return (error.status, error.body ?? error.status.reasonPhrase)
        default:
            return (.internalServerError, "internal error")
        }
    }

    // MARK: Guards

    /// A page for a signed-in role: no session → the sign-in page (303), wrong role → 403.
    func guarded(
        _ request: Request, roles: Set<TokenRole>, current: String,
        _ body: (ConsoleSession, ConsoleLanguage) async throws -> Response
    ) async -> Response {
        let language = Self.language(request)
        guard let session = await currentSession(request) else {
            let expired = request.cookies[Self.sessionCookie] != nil ? "&expired=1" : ""
            return Self.redirect("/console/login?next=\(FormBody.encode(Self.here(request)))\(expired)")
        }
        guard session.may(roles) else {
            return failure(request, session: session, language: language, error: ConsoleError.forbidden)
        }
        do {
            return try await body(session, language)
        } catch {
            return failure(request, session: session, language: language, error: error)
        }
    }

    /// A form action: session (401), same origin and CSRF token (403), role (403), then the action; success goes
    /// back to the page the form came from (303).
    func action(
        _ request: Request, roles: Set<TokenRole>,
        _ body: (ConsoleSession, [String: String]) async throws -> Void
    ) async -> Response {
        let language = Self.language(request)
        var request = request
        guard let buffer = try? await request.collectBody(upTo: 64 * 1024) else {
            return failure(
                request, session: nil, language: language,
                error: ConsoleError.rejected(status: 413, message: "form too large"))
        }
        let form = FormBody.parse(String(buffer: buffer))
        guard let session = await currentSession(request) else {
            return failure(request, session: nil, language: language, error: ConsoleError.notSignedIn)
        }
        guard Self.sameOrigin(request), let token = form["csrf"],
            SessionStore.constantTimeEqual(token, session.csrf)
        else {
            return failure(request, session: session, language: language, error: ConsoleError.csrf)
        }
        guard session.may(roles) else {
            return failure(request, session: session, language: language, error: ConsoleError.forbidden)
        }
        do {
            try await body(session, form)
        } catch {
            return failure(request, session: session, language: language, error: error)
        }
        let back = Self.safeBack(form["back"])
        return Self.redirect(back + (back.contains("?") ? "&" : "?") + "done=1")
    }

    /// A request with an `Origin` header must come from this host (browsers send it on form posts).
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let url = URL(string: origin), let host = url.host else { return false }
        let port = url.port.map { ":\($0)" } ?? ""
        guard let authority = request.head.authority else { return false }
        return authority.lowercased() == (host + port).lowercased()
    }

    // MARK: Assets, sign-in, language

    @Sendable func asset(request: Request, context: YujingRequestContext) async throws -> Response {
        let name = try context.parameters.require("file")
        guard let file = ConsoleAssets.files[name] else { throw HTTPError(.notFound) }
        return Response(
            status: .ok,
            headers: [.contentType: file.type, .cacheControl: "max-age=300", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: file.body)))
    }

    @Sendable func loginPage(request: Request, context: YujingRequestContext) async throws -> Response {
        let language = Self.language(request)
        let query = request.uri.queryParameters
        let next = Self.safeBack(query["next"].map(String.init))
        if await currentSession(request) != nil { return Self.redirect(next) }
        let loginCSRF = SessionStore.randomToken()
        var values: [String: Any] = ["loginCSRF": loginCSRF, "next": next]
        if query["expired"] != nil { values["error"] = ConsoleStrings.text("login_expired", language) }
        if query["out"] != nil { values["flash"] = ConsoleStrings.text("logged_out", language) }
        return page(
            request, session: nil, language: language, current: "login", template: "login", context: values,
            cookies: [Self.cookie(Self.loginCookie, loginCSRF, maxAge: 3600, request: request)])
    }

    @Sendable func login(request: Request, context: YujingRequestContext) async throws -> Response {
        let language = Self.language(request)
        var request = request
        let buffer = try await request.collectBody(upTo: 16 * 1024)
        let form = FormBody.parse(String(buffer: buffer))
        let next = Self.safeBack(form["next"])
        guard Self.sameOrigin(request), let expected = request.cookies[Self.loginCookie]?.value,
            let given = form["csrf"], SessionStore.constantTimeEqual(expected, given)
        else {
            return failure(request, session: nil, language: language, error: ConsoleError.csrf)
        }
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let principal = try? database.authenticate(token: token)
        guard let principal, principal.role != .agent else {
            let loginCSRF = SessionStore.randomToken()
            return page(
                request, session: nil, language: language, current: "login", template: "login",
                context: [
                    "loginCSRF": loginCSRF, "next": next, "error": ConsoleStrings.text("login_failed", language),
                ], status: .unauthorized,
                cookies: [Self.cookie(Self.loginCookie, loginCSRF, maxAge: 3600, request: request)])
        }
        let created = await sessions.create(for: principal, nowMillis: Self.now())
        try? database.audit(
            actor: principal.name, action: "console.login", target: "role:\(principal.role.rawValue)",
            nowMillis: Self.now())
        return Self.redirect(
            next,
            cookies: [
                Self.cookie(
                    Self.sessionCookie, created.id, maxAge: Int(sessions.absoluteMillis / 1000), request: request),
                Self.cookie(Self.loginCookie, "", maxAge: 0, request: request),
            ])
    }

    @Sendable func logout(request: Request, context: YujingRequestContext) async throws -> Response {
        var response = await action(request, roles: Set(TokenRole.allCases)) { session, _ in
            if let id = request.cookies[Self.sessionCookie]?.value { await sessions.remove(id: id) }
            try? database.audit(actor: session.name, action: "console.logout", target: "session", nowMillis: Self.now())
        }
        guard response.status == .seeOther else { return response }
        response = Self.redirect(
            "/console/login?out=1", cookies: [Self.cookie(Self.sessionCookie, "", maxAge: 0, request: request)])
        return response
    }

    @Sendable func switchLanguage(request: Request, context: YujingRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let language = query["to"].flatMap { ConsoleLanguage(rawValue: String($0)) } ?? Self.language(request).other
        return Self.redirect(
            Self.safeBack(query["back"].map(String.init)),
            cookies: [
                Self.cookie(Self.languageCookie, language.rawValue, maxAge: 31_536_000, request: request, path: "/")
            ])
    }
}
