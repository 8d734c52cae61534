import Hummingbird

/// Routes an outer module (the operator console) adds to the daemon's router. The console depends on this module,
/// not the other way round; the composition root hands the mounts to ``YujingDaemon``.
public protocol DaemonRouteMount: Sendable {
    /// Adds the module's routes.
    /// - Parameters:
    ///   - router: The daemon's router.
    ///   - daemon: The daemon (store, pipeline, responder, configuration).
    func addRoutes(to router: Router<YujingRequestContext>, daemon: YujingDaemon)
}
