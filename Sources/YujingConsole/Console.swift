import Hummingbird
import YujingServer

/// The operator console: server-rendered pages under `/console`, mounted by ``YujingDaemon/router()`` when the
/// composition root adds it to ``YujingDaemon/mounts``.
///
/// Operators sign in with their API token (agents cannot); the browser then holds only a random session cookie
/// (HttpOnly, SameSite=Strict, Secure behind TLS). Every form carries the session's CSRF token, and every action
/// checks the same role sets as the API.
public struct Console: DaemonRouteMount {
    let sessions: SessionStore
    let renderer: ConsoleRenderer

    /// Compiles the templates and prepares an empty session store.
    /// - Parameters:
    ///   - idleTimeoutSeconds: A session ends after this long without a request (default 30 minutes).
    ///   - absoluteTimeoutSeconds: A session ends this long after sign-in whatever happens (default 12 hours).
    /// - Throws: ``ConsoleSetupError`` when a template does not compile.
    public init(idleTimeoutSeconds: Int = 1800, absoluteTimeoutSeconds: Int = 43_200) throws(ConsoleSetupError) {
        sessions = SessionStore(
            idleMillis: Int64(idleTimeoutSeconds) * 1000, absoluteMillis: Int64(absoluteTimeoutSeconds) * 1000)
        renderer = try ConsoleRenderer()
    }

    /// Adds `/console/...` to the daemon's router.
    /// - Parameters:
    ///   - router: The daemon's router.
    ///   - daemon: The daemon.
    public func addRoutes(to router: Router<YujingRequestContext>, daemon: YujingDaemon) {
        ConsoleController(
            database: daemon.database, pipeline: daemon.pipeline, responder: daemon.responder, sessions: sessions,
            renderer: renderer, launcher: daemon.drillLauncher, runbooks: daemon.configuration.runbooks
        ).addRoutes(to: router)
    }
}

/// A console template failed to compile (a bug in the shipped templates).
public struct ConsoleSetupError: Error, CustomStringConvertible {
    /// Template name and parser message.
    public var description: String
}
