import Copydesk
import CopydeskDesk
import Hummingbird
import Logging
import ServiceLifecycle

/// How `copydesk serve` listens and what it accepts.
public struct HTTPServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Request bodies larger than this are refused with 413.
    public var maximumBodyBytes: Int
    /// How often SSE subscribers poll when no NOTIFY arrives.
    public var feedPollInterval: Duration
    /// Where a client's address is read, for throttling failed authentications.
    public var clientAddresses: ClientAddressSource
    /// Failed authentications an address may make in a row before it is answered 429.
    public var failedAuthenticationBurst: Int
    /// How often an address throttled for failed authentications regains one attempt.
    public var failedAuthenticationRefill: Duration
    /// How often the server logs an anchor (`copydesk anchor`) of the whole history; nil: never.
    public var anchorInterval: Duration?
    /// The server sits behind TLS: the desk's session cookie is marked `Secure`.
    public var behindTLS: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, maximumBodyBytes: Int = 2 * 1024 * 1024,
                feedPollInterval: Duration = .seconds(1), clientAddresses: ClientAddressSource = .init(),
                failedAuthenticationBurst: Int = 10, failedAuthenticationRefill: Duration = .seconds(1),
                anchorInterval: Duration? = nil, behindTLS: Bool = false) {
        self.behindTLS = behindTLS
        self.host = host
        self.port = port
        self.maximumBodyBytes = maximumBodyBytes
        self.feedPollInterval = feedPollInterval
        self.clientAddresses = clientAddresses
        self.failedAuthenticationBurst = failedAuthenticationBurst
        self.failedAuthenticationRefill = failedAuthenticationRefill
        self.anchorInterval = anchorInterval
    }
}

/// The router with every route and middleware, for `buildApplication`.
func buildRouter(
    app: CopydeskApp, configuration: HTTPServerConfiguration, metrics: CopydeskMetrics, changes: UserChanges
) -> Router<CopydeskRequestContext> {
    let router = Router(context: CopydeskRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.addMiddleware {
        RequestLogMiddleware()
        MetricsRecordingMiddleware(metrics: metrics)
        ProblemMiddleware()
    }
    OperationsController(app: app, metrics: metrics).addRoutes(to: router)
    let throttle = FailedAuthenticationThrottle(
        burst: configuration.failedAuthenticationBurst, refillInterval: configuration.failedAuthenticationRefill)
    let authenticated = router.group()
        .add(middleware: AuthenticationMiddleware(
            users: app.users, throttle: throttle, clientAddresses: configuration.clientAddresses, changes: changes))
        .add(middleware: ReadPolicyMiddleware())
        .add(middleware: ReadConsistencyMiddleware())
    ArticleCommandsController(app: app, metrics: metrics, bodyLimit: configuration.maximumBodyBytes)
        .addRoutes(to: authenticated)
    ArticleQueriesController(app: app).addRoutes(to: authenticated)
    FeedController(app: app, pollInterval: configuration.feedPollInterval, changes: changes).addRoutes(to: authenticated)
    UsersController(app: app, bodyLimit: configuration.maximumBodyBytes, changes: changes).addRoutes(to: authenticated)
    CurrentUserController().addRoutes(to: authenticated)
    // The desk: pages under /desk (and GET / to it), signed in by session, not by token. Its failed
    // sign-ins share the API's throttle; its audit page asks the API's read policy.
    let clientAddresses = configuration.clientAddresses
    Desk(
        app: app,
        configuration: DeskConfiguration<CopydeskRequestContext>(
            secureCookies: configuration.behindTLS, throttle: throttle,
            clientAddress: { request, context in clientAddresses.address(of: request, context: context) },
            minimumRole: { ReadPolicy.minimumRole(forPath: $0) }, feedPollInterval: configuration.feedPollInterval,
            maximumFormBytes: max(configuration.maximumBodyBytes, 8 * 1024 * 1024))
    ).addRoutes(to: router)
    // Last: it wraps only the router's "no such route" answer, knowing every route above.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}

/// The HTTP server with the scheduler running beside it: what `copydesk serve` runs, and what the
/// tests (`application.test(.router)`) and the bench run too. `runService()` handles SIGTERM and
/// SIGINT: the server stops accepting, lets in-flight requests finish, then exits.
///
/// `metrics` is where requests and commands are counted (a caller that wants to read them
/// passes its own); without `runScheduler` nothing but HTTP runs.
public func buildApplication(
    app: CopydeskApp, configuration: HTTPServerConfiguration, logger: Logger,
    metrics: CopydeskMetrics = CopydeskMetrics(), runScheduler: Bool = true
) -> some ApplicationProtocol {
    let changes = UserChanges()
    var application = Application(
        router: buildRouter(app: app, configuration: configuration, metrics: metrics, changes: changes),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "copydesk"),
        logger: logger)
    application.addServices(UserChangeListener(pool: app.pool, changes: changes, logger: logger))
    if let interval = configuration.anchorInterval {
        application.addServices(AnchorLogService(store: app.store, interval: interval, logger: logger))
    }
    if runScheduler {
        application.addServices(SchedulerService(scheduler: Scheduler(commands: app.commands), logger: logger))
    }
    return application
}

/// Runs the scheduler inside `copydesk serve` until graceful shutdown.
struct SchedulerService: Service {
    let scheduler: Scheduler
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await scheduler.run(
                every: .seconds(5),
                onPublished: { [logger] publication in
                    logger.info("scheduled publication", metadata: ["article": .string(publication.article.lowercased)])
                },
                onError: { [logger] error in logger.warning("scheduler pass failed: \(error)") })
        }
    }
}
