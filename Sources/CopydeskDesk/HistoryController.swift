import Copydesk
import Foundation
import Hummingbird

/// An article's history (a timeline of every event) and the word diff between any two versions.
struct HistoryController<Context: DeskRequestContext> {
    let desk: Desk<Context>

    /// The model of `history.mustache`.
    struct HistoryPage {
        struct Event {
            let version: Int64
            let actor: String
            let isSystem: Bool
            let at: ReaderZone.Shown
            let action: String
            let stateBefore: String?
            let stateAfter: String
            /// The fields changed, or nil when none was.
            let changed: String?
            let reason: String?
            let note: String?
            let comment: String?
            let previous: Int64?
        }
        let page: PageChrome
        let id: String
        let title: String
        let titleLang: String
        let events: [Event]
        let zone: String
        let zoneIsUTC: Bool
    }

    /// The model of `compare.mustache`.
    struct ComparePage {
        let page: PageChrome
        let id: String
        let title: String
        let from: Int64
        let to: Int64
        let fields: [DiffField]
        let unchanged: [String]
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("articles/:id/history") { request, context in
            let user = try Desk<Context>.user(context)
            let id = try ArticleController<Context>.articleId(context)
            guard let view = try await desk.app.queries.article(id) else { throw WorkflowError.articleNotFound(id) }
            let zone = ReaderZone(request: request)
            let events = try await desk.app.queries.history(id).map { entry in
                let isComment = entry.action == "comment"
                return HistoryPage.Event(
                    version: entry.version, actor: entry.actor, isSystem: entry.actorKind == "system",
                    at: zone.show(entry.at), action: entry.action, stateBefore: entry.stateBefore,
                    stateAfter: entry.stateAfter,
                    changed: entry.changed.isEmpty ? nil : entry.changed.joined(separator: ", "), reason: entry.reason,
                    note: isComment ? nil : entry.note, comment: isComment ? entry.note : nil,
                    previous: entry.version > 1 ? entry.version - 1 : nil)
            }
            return desk.templates.page(
                "history",
                HistoryPage(
                    page: desk.chrome("History: \(view.title)", user), id: id.lowercased, title: view.title,
                    titleLang: TextLanguage.guess(view.title), events: events, zone: zone.identifier,
                    zoneIsUTC: zone.identifier == "UTC"))
        }
        group.get("articles/:id/compare") { request, context in
            let user = try Desk<Context>.user(context)
            let id = try ArticleController<Context>.articleId(context)
            let query = request.uri.queryParameters
            let from = query["from"].flatMap { Int64(String($0)) }
            let to = query["to"].flatMap { Int64(String($0)) }
            guard let view = try await desk.app.queries.article(id) else { throw WorkflowError.articleNotFound(id) }
            let diff = try await desk.app.queries.diff(id, from: from, to: to)
            return desk.templates.page(
                "compare",
                ComparePage(
                    page: desk.chrome("Compare: \(view.title)", user), id: id.lowercased, title: view.title,
                    from: diff.from, to: diff.to, fields: diff.fields.filter(\.changed).map(DiffField.init),
                    unchanged: diff.fields.filter { !$0.changed }.map(\.field)))
        }
    }
}
