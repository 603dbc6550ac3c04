import Copydesk
import Editorial
import Foundation
import Hummingbird
import Timestamps

/// Writing: a new article, and editing one at the version it was opened at. On a version
/// conflict nothing typed is lost: the conflict page shows what the user wrote (ready to apply on
/// top of the current version), what is there now, and what changed meanwhile.
struct EditController<Context: DeskRequestContext> {
    let desk: Desk<Context>

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("articles/new") { _, context in
            let user = try Desk<Context>.user(context)
            return page(user, id: nil, version: 0, fields: .init(title: "", lead: "", body: "", section: "", tags: ""))
        }
        group.post("articles") { request, context in try await create(request, context) }
        group.get("articles/:id/edit") { _, context in
            let user = try Desk<Context>.user(context)
            let id = try ArticleController<Context>.articleId(context)
            guard let view = try await desk.app.queries.article(id) else { throw WorkflowError.articleNotFound(id) }
            return page(user, id: id, version: view.version, fields: .init(view: view))
        }
        group.post("articles/:id/edit") { request, context in try await edit(request, context) }
    }

    private func page(
        _ user: DeskUser, id: UUID?, version: Int64, base: Int64? = nil, fields: EditPage.Fields,
        error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let title = id == nil ? "New article" : "Edit: \(fields.title)"
        return desk.templates.page(
            "edit",
            EditPage(
                page: desk.chrome(title, user, error: error), id: id?.lowercased, isNew: id == nil,
                expectedVersion: version, baseVersion: base ?? version, fields: fields, theirs: nil, theirVersion: 0,
                meanwhile: []),
            status: status)
    }

    private func create(_ request: Request, _ context: Context) async throws -> Response {
        let user = try Desk<Context>.user(context)
        let fields = EditPage.Fields(form: try Desk<Context>.form(context))
        let id = UUID.timeOrdered()
        let content = ArticleContent(
            title: fields.title, lead: fields.lead, body: fields.body, section: fields.section, tags: fields.tagList)
        do {
            _ = try await desk.app.commands.handle(
                WorkflowCommand(
                    article: id, actor: user.actor, action: .draft(id: id, content: content, originalDate: nil),
                    correlationId: "desk-\(UUID().lowercased)", origin: .http))
            return DeskTemplates.redirect("/desk/articles/\(id.lowercased)?done=draft")
        } catch let error as WorkflowError {
            return page(
                user, id: nil, version: 0, fields: fields, error: ArticleController<Context>.words(for: error),
                status: ArticleController<Context>.status(for: error))
        }
    }

    private func edit(_ request: Request, _ context: Context) async throws -> Response {
        let user = try Desk<Context>.user(context)
        let form = try Desk<Context>.form(context)
        let id = try ArticleController<Context>.articleId(context)
        let fields = EditPage.Fields(form: form)
        let expected = form["expected_version"].flatMap(Int64.init)
        // The version the text was written on: the one opened, or after a conflict still that one,
        // so that applying on top of a later version applies only what this user changed.
        let base = form["base_version"].flatMap(Int64.init) ?? expected
        do {
            let changes = try await changes(to: fields, of: id, since: base)
            _ = try await desk.app.commands.handle(
                WorkflowCommand(
                    article: id, actor: user.actor, action: .edit(changes, note: form.trimmed("note")),
                    expectedVersion: expected, correlationId: "desk-\(UUID().lowercased)", origin: .http))
            return DeskTemplates.redirect("/desk/articles/\(id.lowercased)?done=edit")
        } catch WorkflowError.conflict(_, let expected, _) {
            return try await conflict(user, id: id, yours: fields, base: base ?? expected)
        } catch let error as WorkflowError {
            if case .articleNotFound = error { throw error }
            return page(
                user, id: id, version: expected ?? 0, base: base, fields: fields,
                error: ArticleController<Context>.words(for: error),
                status: ArticleController<Context>.status(for: error))
        }
    }

    /// What the user changed: the fields that differ from the text at version `base` (all of them
    /// when there is no such version). A field left as it was opened is not sent, so it keeps
    /// whatever is there now, even someone else's later change.
    private func changes(to fields: EditPage.Fields, of id: UUID, since base: Int64?) async throws -> ContentChanges {
        let typed = ArticleContent(
            title: fields.title, lead: fields.lead, body: fields.body, section: fields.section, tags: fields.tagList)
        guard let base, base >= 1, let then = try await desk.app.queries.article(id, atVersion: base) else {
            return ContentChanges(
                title: typed.title, lead: typed.lead, body: typed.body, section: typed.section, tags: typed.tags)
        }
        let opened = ArticleContent(
            title: then.title, lead: then.lead, body: then.body, section: then.section, tags: then.tags)
        return ContentChanges(from: opened, to: typed)
    }

    /// 409 with the three texts: yours (in a form at the current version, still based on the version
    /// you opened, so sending it applies your changes on top), theirs, and the word diff from the
    /// version you opened to now.
    private func conflict(_ user: DeskUser, id: UUID, yours: EditPage.Fields, base: Int64) async throws -> Response {
        guard let now = try await desk.app.queries.article(id) else { throw WorkflowError.articleNotFound(id) }
        var meanwhile: [DiffField] = []
        if base >= 1, base < now.version {
            let diff = try await desk.app.queries.diff(id, from: base, to: now.version)
            meanwhile = diff.fields.filter(\.changed).map(DiffField.init)
        }
        let model = EditPage(
            page: desk.chrome(
                "Conflict: \(now.title)", user,
                error: "Someone changed this article after you opened it (version \(base); it is at version "
                    + "\(now.version) now). Nothing was written. Your text is kept below."),
            id: id.lowercased, isNew: false, expectedVersion: now.version, baseVersion: base, fields: yours,
            theirs: .init(view: now), theirVersion: now.version, meanwhile: meanwhile)
        return desk.templates.page("conflict", model, status: .conflict)
    }
}
