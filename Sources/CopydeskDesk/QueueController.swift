import Copydesk
import Editorial
import Foundation
import Hummingbird

/// The desk's home: what is the signed-in user's turn, how many articles are in each state, and
/// every article by search and filters, a page at a time.
struct QueueController<Context: DeskRequestContext> {
    let desk: Desk<Context>
    static var pageSize: Int { 25 }
    /// The most "your turn" shows: a to-do list to start the day with, not an inventory (the
    /// articles below are). A hundred there made the page a quarter of its speed (1,000+ pages/s
    /// is the target with 10,000 articles), for rows nobody reads before acting on the first ones.
    static var yourTurnSize: Int { 25 }

    /// The model of `queue.mustache`.
    struct QueuePage {
        struct StateCount {
            let state: String
            let count: Int
            let selected: Bool
        }
        struct Choice {
            let value: String
            let label: String
            let selected: Bool
        }

        let page: PageChrome
        let yourTurnHeading: String
        let yourTurn: [ArticleListItem]
        /// More articles wait for the user than "your turn" shows.
        let yourTurnMore: Bool
        let stateCounts: [StateCount]
        let q: String
        let states: [Choice]
        let sections: [Choice]
        let authors: [Choice]
        let live: [Choice]
        let results: [ArticleListItem]
        let pageNumber: Int
        let previous: String?
        let next: String?

        var yourTurnHTML: HTMLFragment { ArticleListItem.html(yourTurn) }
        var resultsHTML: HTMLFragment { ArticleListItem.html(results) }
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get { request, context in try await queue(request, context) }
    }

    private func queue(_ request: Request, _ context: Context) async throws -> Response {
        let user = try Desk<Context>.user(context)
        let zone = ReaderZone(request: request)
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? {
            guard let text = query[Substring(name)].map(String.init), !text.isEmpty else { return nil }
            return text
        }
        let pageNumber = max(1, value("page").flatMap(Int.init) ?? 1)
        let live: Bool? = value("live").flatMap { ["yes": true, "no": false][$0] }
        let filter = ArticleFilter(
            state: value("state"), author: value("author"), section: value("section"), search: value("q"),
            limit: Self.pageSize + 1, offset: (pageNumber - 1) * Self.pageSize, live: live)
        async let found = desk.app.queries.list(filter)
        async let counts = desk.stateCounts.value()
        async let loadedChoices = desk.filterChoices.value()
        async let turn = yourTurn(of: user.actor)
        let (results, stateCounts, filterChoices, yourTurn) = try await (found, counts, loadedChoices, turn)

        func link(page: Int) -> String {
            var items = URLComponents()
            items.queryItems =
                ["q", "state", "section", "author", "live"].compactMap { name in
                    value(name).map { URLQueryItem(name: name, value: $0) }
                } + [URLQueryItem(name: "page", value: String(page))]
            return "/desk?" + (items.percentEncodedQuery ?? "")
        }
        func choices(_ values: [String], selected: String?, any: String) -> [QueuePage.Choice] {
            [QueuePage.Choice(value: "", label: any, selected: selected == nil)]
                + values.map { QueuePage.Choice(value: $0, label: $0, selected: $0 == selected) }
        }
        let model = QueuePage(
            page: desk.chrome("Desk", user),
            yourTurnHeading: Self.yourTurnHeading(for: user.actor.role),
            yourTurn: yourTurn.prefix(Self.yourTurnSize).map { ArticleListItem($0, zone: zone) },
            yourTurnMore: yourTurn.count > Self.yourTurnSize,
            stateCounts: ArticleStatus.allCases.map {
                QueuePage.StateCount(
                    state: $0.rawValue, count: stateCounts[$0.rawValue] ?? 0, selected: value("state") == $0.rawValue)
            },
            q: value("q") ?? "",
            states: choices(ArticleStatus.allCases.map(\.rawValue), selected: value("state"), any: "any state"),
            sections: choices(filterChoices.sections, selected: value("section"), any: "any section"),
            authors: choices(filterChoices.authors, selected: value("author"), any: "anyone"),
            live: [
                .init(value: "", label: "live or not", selected: live == nil),
                .init(value: "yes", label: "live", selected: live == true),
                .init(value: "no", label: "not live", selected: live == false),
            ],
            results: results.prefix(Self.pageSize).map { ArticleListItem($0, zone: zone) },
            pageNumber: pageNumber,
            previous: pageNumber > 1 ? link(page: pageNumber - 1) : nil,
            next: results.count > Self.pageSize ? link(page: pageNumber + 1) : nil)
        return desk.templates.page("queue", model)
    }

    /// What moves an article on for each role, the states where that can happen, and whose articles.
    /// Which of those articles the user may move on now is the domain's answer (`allowedCommands`):
    /// an editor does not see what they wrote or edited (four-eyes), an author only their own.
    private func yourTurn(of actor: Actor) async throws -> [Article] {
        let (command, states, author): (CommandKind, [ArticleStatus], String?) =
            switch actor.role {
            case .author: (.submit, [.draft, .changesRequested], actor.name)
            case .editor: (.approve, [.inReview], nil)
            case .publisher, .admin: (.publish, [.approved], nil)
            }
        // Twice as many as shown: an editor does not see the ones they edited, and still gets a full list.
        let candidates = try await desk.app.queries.articleStatesForLists(
            inStates: states, author: author, limit: 2 * Self.yourTurnSize)
        return candidates.filter { ArticleDecider.allowedCommands(for: actor, on: $0).contains(command) }
    }

    static func yourTurnHeading(for role: Role) -> String {
        switch role {
        case .author: "Your turn: your drafts and the changes asked of you"
        case .editor: "Your turn: in review, written by others"
        case .publisher, .admin: "Your turn: approved, ready to publish"
        }
    }
}
