import Copydesk
import Editorial
import Hummingbird

/// The desk: server-rendered pages where editors do their day's work, under `/desk`, on the same
/// application layer as the API (its command service and queries). It holds no workflow rule:
/// the actions a page offers are the domain's allowed commands, and refusals are the domain's words.
public struct Desk<Context: DeskRequestContext>: Sendable {
    let app: CopydeskApp
    let configuration: DeskConfiguration<Context>
    let sessions: DeskSessions
    let passwords: Passwords
    let templates: DeskTemplates
    /// The one follower of the log that every open page's live feed shares.
    let feed: DeskFeedHub
    /// How many articles are in each state, read at most once a second.
    let stateCounts: ShortLivedCache<[String: Int]>
    /// The sections and authors the filters offer, read at most every 5 seconds.
    let filterChoices: ShortLivedCache<FilterChoices>

    /// The desk on `app`, served as `configuration` says.
    public init(app: CopydeskApp, configuration: DeskConfiguration<Context>) {
        self.app = app
        self.configuration = configuration
        sessions = DeskSessions(pool: app.pool)
        passwords = Passwords(pool: app.pool)
        templates = .shipped
        feed = DeskFeedHub(store: app.store, pollInterval: configuration.feedPollInterval)
        let queries = app.queries
        stateCounts = ShortLivedCache(maximumAge: .seconds(1)) { try await queries.stateCounts() }
        filterChoices = ShortLivedCache(maximumAge: .seconds(5)) {
            let choices = try await queries.filterChoices()
            return FilterChoices(sections: choices.sections, authors: choices.authors)
        }
    }

    /// Adds `GET /` (to the desk) and every `/desk` route to `router`.
    public func addRoutes(to router: Router<Context>) {
        router.get("/") { _, _ in DeskTemplates.redirect("/desk") }
        let desk = router.group("desk")
            .add(middleware: DeskSecurityHeadersMiddleware<Context>())
            .add(middleware: DeskErrorMiddleware<Context>(desk: self))
        StaticFilesController<Context>().addRoutes(to: desk)
        SignInController(desk: self).addRoutes(to: desk)
        let signedIn = desk.group()
            .add(middleware: DeskSessionMiddleware<Context>(sessions: sessions, secure: configuration.secureCookies))
            .add(middleware: CSRFMiddleware<Context>(desk: self))
            .add(middleware: DeskReadConsistencyMiddleware<Context>(secure: configuration.secureCookies))
        SignInController(desk: self).addSignOut(to: signedIn)
        QueueController(desk: self).addRoutes(to: signedIn)
        ArticleController(desk: self).addRoutes(to: signedIn)
        EditController(desk: self).addRoutes(to: signedIn)
        ImportController(desk: self).addRoutes(to: signedIn)
        HistoryController(desk: self).addRoutes(to: signedIn)
        AuditController(desk: self).addRoutes(to: signedIn)
        DeskFeedController(desk: self).addRoutes(to: signedIn)
        // Any other desk address is a page that does not exist: said as a page, not as the API's JSON.
        signedIn.get("**") { _, _ -> Response in throw DeskPageError.notFound }
    }

    /// Whether `user` may read what API path `path` serves, by the API's read policy.
    func may(_ user: DeskUser, read path: String) -> Bool {
        guard let needed = configuration.minimumRole(path) else { return true }
        return user.actor.role >= needed
    }

    /// The layout's data for a page seen by `user`.
    func chrome(_ title: String, _ user: DeskUser?, notice: String? = nil, error: String? = nil) -> PageChrome {
        PageChrome(
            title: title, user: user, mayAudit: user.map { may($0, read: "/audit") } ?? false, notice: notice,
            error: error)
    }

    /// A plain page saying why a request could not be served, in the layout `user` sees.
    func message(
        _ status: HTTPResponse.Status, title: String, text: String, user: DeskUser?, id: String = "error-page"
    ) -> Response {
        templates.message(status, title: title, text: text, chrome: chrome(title, user), id: id)
    }

    /// The signed-in user; every route behind `DeskSessionMiddleware` has one.
    static func user(_ context: Context) throws -> DeskUser {
        guard let user = context.deskUser else {
            throw DeskPageError(status: .unauthorized, title: "Sign in", text: "Sign in to use the desk.")
        }
        return user
    }

    /// The form of a POST, read and checked by `CSRFMiddleware`.
    static func form(_ context: Context) throws -> DeskForm {
        guard let form = context.deskForm else {
            throw DeskPageError(status: .badRequest, title: "No form", text: "This request carried no form.")
        }
        return form
    }
}
