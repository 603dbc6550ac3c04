import Copydesk
import Editorial
import Foundation
import Hummingbird

/// The article page, its past versions, and the workflow commands it offers as buttons.
struct ArticleController<Context: DeskRequestContext> {
    let desk: Desk<Context>

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("articles/:id") { request, context in
            let user = try Desk<Context>.user(context)
            let notice = request.uri.queryParameters["done"].flatMap { Self.notices[String($0)] }
            return try await articlePage(
                Self.articleId(context), user: user, zone: ReaderZone(request: request), notice: notice)
        }
        group.get("articles/:id/versions/:version") { request, context in
            try await versionPage(request, context)
        }
        group.post("articles/:id/commands/:command") { request, context in
            try await command(request, context)
        }
    }

    /// What the page says after a command went through, by command.
    static var notices: [String: String] {
        [
            "draft": "Article created.", "edit": "Changes saved.", "submit": "Submitted for review.",
            "request-changes": "Changes requested.", "approve": "Approved.", "publish": "Published.",
            "schedule": "Scheduled for publication.",
            "unpublish": "Unpublished.", "archive": "Archived.", "comment": "Comment added.",
            "unschedule": "Schedule cancelled; the article is approved.", "restore": "Restored.",
            "revert": "That version's text is the working text again.",
        ]
    }

    /// The article page; with `error`, the page shows a refusal in the domain's words.
    func articlePage(
        _ id: UUID, user: DeskUser, zone: ReaderZone, notice: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok, scheduleValue: String = ""
    ) async throws -> Response {
        // The decider's state is the projection row, which also makes the view: one read, plus the
        // last change, side by side.
        async let loadedState = desk.app.queries.articleState(id)
        async let loadedChange = desk.app.queries.lastChange(id)
        guard let state = try await loadedState else { throw WorkflowError.articleNotFound(id) }
        let view = ArticleView(article: state)
        let allowed = ArticleDecider.allowedCommands(for: user.actor, on: state)
        let model = ArticlePage(
            chrome: desk.chrome(view.title, user, notice: notice, error: error), view: view,
            lastChange: try await loadedChange, allowed: allowed, zone: zone, scheduleValue: scheduleValue)
        return desk.templates.page("article", model, status: status)
    }

    private func versionPage(_ request: Request, _ context: Context) async throws -> Response {
        let user = try Desk<Context>.user(context)
        let id = try Self.articleId(context)
        guard let version = context.parameters.get("version").flatMap(Int64.init) else { throw DeskPageError.notFound }
        guard let current = try await desk.app.queries.articleState(id),
            let past = try await desk.app.queries.article(id, atVersion: version)
        else { throw WorkflowError.articleNotFound(id) }
        let entry = try await desk.app.queries.history(id).first { $0.version == version }
        // Bringing this text back is a revert, offered when the domain allows it to this user now
        // and there is something to bring back.
        let pastText = ArticleContent(
            title: past.title, lead: past.lead, body: past.body, section: past.section, tags: past.tags)
        let mayRevert = pastText != current.content
        let model = ArticlePage(
            chrome: desk.chrome("\(past.title) (version \(version))", user), view: past, lastChange: entry,
            allowed: [], zone: ReaderZone(request: request),
            pastVersion: .init(
                current: current.version,
                mayRevert: mayRevert && ArticleDecider.allowedCommands(for: user.actor, on: current).contains(.revert)))
        return desk.templates.page("article", model)
    }

    private func command(_ request: Request, _ context: Context) async throws -> Response {
        let user = try Desk<Context>.user(context)
        let form = try Desk<Context>.form(context)
        let id = try Self.articleId(context)
        let zone = ReaderZone(identifier: form["zone"] ?? DeskCookies.value(DeskCookies.zone, in: request))
        guard let kind = context.parameters.get("command").flatMap(CommandKind.init(rawValue:)) else {
            throw DeskPageError.notFound
        }
        do {
            let action = try Self.action(kind, form: form, zone: zone)
            let expected = form["expected_version"].flatMap(Int64.init)
            let outcome = try await desk.app.commands.handle(
                WorkflowCommand(
                    article: id, actor: user.actor, action: action, expectedVersion: expected,
                    correlationId: "desk-\(UUID().lowercased)", origin: .http))
            let done = kind == .publish && outcome.article.status == .scheduled ? "schedule" : kind.rawValue
            return DeskTemplates.redirect("/desk/articles/\(id.lowercased)?done=\(done)")
        } catch var error as WorkflowError {
            if case .articleNotFound = error { throw error }
            if case .conflict = error,
                let refusal = try await refusalNow(kind, form: form, zone: zone, by: user, on: id)
            {
                // The page was stale, but retrying would not help either: say why, in the domain's words.
                error = .refused(refusal)
            }
            return try await articlePage(
                id, user: user, zone: zone, error: Self.words(for: error), status: Self.status(for: error),
                scheduleValue: form["at"] ?? "")
        }
    }

    /// The domain's refusal of this command on the article as it is now, or nil when it would be
    /// accepted. Asked of the pure decider, so nothing is written.
    private func refusalNow(
        _ kind: CommandKind, form: DeskForm, zone: ReaderZone, by user: DeskUser, on id: UUID
    )
        async throws -> Refusal?
    {
        guard let action = try? Self.action(kind, form: form, zone: zone),
            let state = try await desk.app.queries.articleState(id)
        else { return nil }
        do {
            _ = try ArticleDecider.decide(ArticleCommand(actor: user.actor, at: Date(), action: action), state: state)
            return nil
        } catch {
            return error
        }
    }

    /// The command a form asks for, with the arguments its fields carry.
    static func action(_ kind: CommandKind, form: DeskForm, zone: ReaderZone) throws -> ArticleCommand.Action {
        switch kind {
        case .submit: return .submit
        case .requestChanges: return .requestChanges(reason: form.text("reason"))
        case .approve: return .approve(note: form.trimmed("note"))
        case .unpublish: return .unpublish(reason: form.text("reason"))
        case .archive: return .archive
        case .comment: return .comment(text: form.text("text"))
        // Their optional reason comes in the form's note field, as approve's note does.
        case .unschedule: return .unschedule(reason: form.trimmed("note"))
        case .restore: return .restore(reason: form.trimmed("note"))
        case .revert:
            guard let version = form.trimmed("version").flatMap(Int64.init) else {
                throw WorkflowError.invalidInput("which version to restore is missing; nothing was written")
            }
            return .revert(toVersion: version, content: nil, note: form.trimmed("note"))
        case .publish:
            guard let at = form.trimmed("at") else { return .publish(at: nil) }
            guard let date = zone.date(fromInput: at) else {
                throw WorkflowError.invalidInput(
                    "\"\(at)\" is not a date and time such as 2026-12-01T09:00 (in \(zone.identifier)); nothing was written"
                )
            }
            return .publish(at: date)
        case .draft, .edit, .publishDue:
            throw WorkflowError.invalidInput("\(kind.rawValue) is not done from this page; nothing was written")
        }
    }

    /// A workflow error as the desk says it: refusals in the domain's own words; a conflict with
    /// what to do on this page.
    static func words(for error: WorkflowError) -> String {
        switch error {
        case .conflict(_, let expected, let actual):
            "Someone changed this article while you had it open: it is at version \(actual) now, not \(expected). "
                + "Nothing was written; look at it again below and retry."
        case .refused, .articleNotFound, .unknownUser, .invalidInput, .commandIdReused, .userRefused:
            error.description
        }
    }

    static func status(for error: WorkflowError) -> HTTPResponse.Status {
        switch error {
        case .refused(let refusal):
            switch refusal.reason {
            case .roleTooLow, .notOwnArticle, .fourEyes: .forbidden
            case .wrongState, .alreadyExists, .notDueYet, .notFound: .conflict
            case .reasonRequired, .nothingToChange, .invalidContent, .overLimit, .notInFuture: .unprocessableContent
            }
        case .conflict: .conflict
        case .articleNotFound: .notFound
        case .unknownUser, .invalidInput, .commandIdReused: .unprocessableContent
        // The acting user's own account refused (disabled meanwhile, say): not something to retry.
        case .userRefused: .forbidden
        }
    }

    static func articleId(_ context: Context) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw DeskPageError(status: .notFound, title: "No such article", text: "Article ids are UUIDs.")
        }
        return id
    }
}
