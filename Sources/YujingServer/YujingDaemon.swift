import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import YujingActions
import YujingResponse
import YujingRules
import YujingStore

/// The daemon's composition: store, pipeline, notifications, metrics and the Hummingbird application.
public struct YujingDaemon: Sendable {
    /// Configuration.
    public let configuration: ServerConfiguration
    /// Store.
    public let database: YujingDatabase
    /// Ingest pipeline (owns the engine).
    public let pipeline: Pipeline
    /// Metrics.
    public let metrics: ServerMetrics
    /// Notification dispatcher.
    public let dispatcher: NotificationDispatcher
    /// Response plans and measures.
    public let responder: Responder
    /// Routes of outer modules (the console) mounted by ``router()``.
    public var mounts: [any DaemonRouteMount] = []
    let responseTriggers: AsyncStream<[ResponseTrigger]>
    let scheduledDrills: [DrillScheduler.Entry]
    /// Where the HTTP server bound (for the daemon's own drill processes).
    let bound = BoundAddress()
    let logger: Logger

    /// Opens the store, rebuilds engine state and prepares receivers.
    /// - Parameters:
    ///   - configuration: Configuration.
    ///   - rules: Validated rules.
    ///   - plans: Validated response plans.
    ///   - database: An open store (default: the configured SQLite file).
    ///   - sinks: Extra receivers (tests); configured Alertmanager and webhooks are added.
    ///   - logger: Logger from the composition root.
    /// - Throws: ``ServerError``.
    public init(
        configuration: ServerConfiguration, rules: RuleSet, plans: [ResponsePlan] = [], database: YujingDatabase? = nil,
        sinks: [any NotificationSink] = [], logger: Logger
    ) throws(ServerError) {
        self.configuration = configuration
        self.logger = logger
        if let database {
            self.database = database
        } else {
            do {
                let started = Date()
                var upgrading = false
                self.database = try YujingDatabase.open(path: configuration.database) { [logger] pending in
                    upgrading = true
                    logger.notice(
                        "upgrading the database (a large one takes minutes)",
                        metadata: ["database": "\(configuration.database)", "migrations": "\(pending.joined(separator: ","))"])
                }
                if upgrading {
                    logger.notice(
                        "database upgraded",
                        metadata: ["seconds": "\(String(format: "%.1f", Date().timeIntervalSince(started)))"])
                }
            } catch {
                throw .store(error.description)
            }
        }
        var receivers = sinks
        if let text = configuration.alertmanager {
            guard let url = URL(string: text), url.scheme != nil else {
                throw .configuration("alertmanager: not a URL: \(text)")
            }
            receivers.append(AlertmanagerSink(baseURL: url))
        }
        for webhook in configuration.webhooks {
            guard let url = URL(string: webhook.url), url.scheme != nil else {
                throw .configuration("webhooks.\(webhook.name): not a URL")
            }
            receivers.append(WebhookSink(name: webhook.name, url: url, secret: webhook.secret))
        }
        metrics = ServerMetrics()
        dispatcher = NotificationDispatcher(
            sinks: receivers, capacity: configuration.notificationQueue,
            maxAttempts: configuration.notificationAttempts,
            logger: logger)
        if let catalogue = configuration.catalogue {
            let loaded = try CatalogueFile.load(path: catalogue, into: self.database)
            logger.info(
                "catalogue loaded",
                metadata: ["catalogue.datasets": "\(loaded.datasets)", "catalogue.applications": "\(loaded.applications)"])
        }
        scheduledDrills = try DrillScheduler.entries(configuration)
        let (stream, continuation) = AsyncStream<[ResponseTrigger]>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        responseTriggers = stream
        pipeline = try Pipeline(
            database: self.database, rules: rules, configuration: configuration, metrics: metrics,
            dispatcher: dispatcher, logger: logger, responseTriggers: continuation)
        responder = Responder(
            database: self.database, plans: plans, configuration: configuration, logger: logger, pipeline: pipeline)
    }

    /// Launches drills as child processes (the console's "start a drill").
    public var drillLauncher: DrillLauncher {
        DrillLauncher(database: database, configuration: configuration, bound: bound, logger: logger)
    }

    /// The router: health, metrics, the authenticated `/api/v1`, the public notice, and the ``mounts`` (console).
    /// - Returns: The router.
    public func router() -> Router<YujingRequestContext> {
        let router = Router(context: YujingRequestContext.self)
        let database = database
        let metrics = metrics
        let dispatcher = dispatcher
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            do {
                _ = try database.tokens()
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
            } catch {
                return Response(
                    status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "store unavailable\n")))
            }
        }
        router.get("metrics") { _, _ -> Response in
            var dropped = 0
            var failed = 0
            var delivered = 0
            for stats in dispatcher.deliveryStats.values {
                dropped += stats.droppedQueueFull
                failed += stats.failed
                delivered += stats.delivered
            }
            metrics.notificationsDropped.set(to: Double(dropped))
            metrics.notificationsFailed.set(to: Double(failed))
            metrics.notificationsDelivered.set(to: Double(delivered))
            var text = metrics.registry.emitToBuffer()
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            if let agents = try? AgentStatus.collect(database: database, nowMillis: now) {
                text += Array(AgentMetricsExposition.render(agents).utf8)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
        let api = router.group("api/v1").add(middleware: AuthMiddleware(database: database))
        IngestController(pipeline: pipeline, metrics: metrics, maxBodyBytes: configuration.maxBodyBytes)
            .addRoutes(to: api)
        WarningsController(database: database, pipeline: pipeline).addRoutes(to: api)
        RulesController(pipeline: pipeline).addRoutes(to: api)
        ResponseController(
            database: database, responder: responder, pipeline: pipeline,
            probeAddresses: configuration.response.verifySourceAddresses
        ).addRoutes(to: api)
        AgentsAuditController(database: database).addRoutes(to: api)
        PublicNoticeController(database: database, settings: configuration.response).addRoutes(to: router)
        DrillsController(database: database, pipeline: pipeline).addRoutes(to: api)
        for mount in mounts { mount.addRoutes(to: router, daemon: self) }
        return router
    }

    /// The application with its background services (notifications, engine tick/snapshot, SIGHUP reload).
    /// - Parameters:
    ///   - reloadOnSIGHUP: Whether to trap SIGHUP (off in tests).
    ///   - onServerRunning: Called with the bound channel (tests read the port).
    /// - Returns: The application.
    public func application(
        reloadOnSIGHUP: Bool = true, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var services: [any Service] = [
            dispatcher, EngineService(pipeline: pipeline, configuration: configuration, logger: logger),
            ResponseService(
                responder: responder, triggers: responseTriggers, tickSeconds: configuration.response.tickSeconds,
                logger: logger),
        ]
        if !scheduledDrills.isEmpty {
            services.append(
                DrillScheduler(
                    entries: scheduledDrills, database: database, pipeline: pipeline, configuration: configuration,
                    bound: bound, logger: logger))
        }
        if reloadOnSIGHUP {
            services.append(
                RuleReloadService(
                    pipeline: pipeline, responder: responder, configuration: configuration, database: database,
                    logger: logger))
        }
        return Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "yujing"),
            services: services,
            onServerRunning: { [bound] channel in
                if let address = channel.localAddress, let port = address.port {
                    bound.set(host: address.ipAddress ?? "127.0.0.1", port: port)
                }
                await onServerRunning(channel)
            }, logger: logger)
    }
}
