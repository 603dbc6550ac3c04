import Copydesk
import Editorial
import Foundation
import Hummingbird

/// The audit trail for the roles the read policy allows (`/audit`): filters, the latest matching
/// events as a table, and the same CSV and JSON lines downloads as the API.
struct AuditController<Context: DeskRequestContext> {
    let desk: Desk<Context>
    static var shownRows: Int { 200 }

    /// The model of `audit.mustache`.
    struct AuditPage {
        struct Row {
            let position: Int64
            let at: ReaderZone.Shown
            let actor: String
            let isSystem: Bool
            /// The article the event is about, or nil for an event about a user's account.
            let articleId: String?
            /// The user whose account the event is about, or nil for an article's event.
            let subjectUser: String?
            let version: Int64
            let action: String
            let stateBefore: String?
            let stateAfter: String
            let why: String
        }
        let page: PageChrome
        let actor: String
        let article: String
        let type: String
        let since: String
        let until: String
        let rows: [Row]
        let more: Bool
        let csvLink: String
        let jsonlLink: String
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("audit") { request, context in try await page(request, context) }
        group.get("audit/download") { request, context in try download(request, context) }
    }

    private func allowed(_ context: Context) throws -> DeskUser {
        let user = try Desk<Context>.user(context)
        guard desk.may(user, read: "/audit") else {
            throw DeskPageError(
                status: .forbidden, title: "Not for your role",
                text: "The audit trail holds every draft's text and every reason, so it needs an editor or above; "
                    + "you are signed in as \(user.actor.role.rawValue). An administrator assigns roles.")
        }
        return user
    }

    private func filter(_ request: Request) throws -> (AuditFilter, [URLQueryItem]) {
        let query = request.uri.queryParameters
        var items: [URLQueryItem] = []
        func value(_ name: String) -> String? {
            guard let text = query[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces),
                !text.isEmpty
            else { return nil }
            items.append(URLQueryItem(name: name, value: text))
            return text
        }
        func day(_ name: String, endOfDay: Bool) throws -> Date? {
            guard let text = value(name) else { return nil }
            guard let date = ISO8601.date(from: text) else {
                throw WorkflowError.invalidInput("\(name) must be a date such as 2026-12-01")
            }
            return endOfDay && !text.contains("T") ? date.addingTimeInterval(86_400 - 0.001) : date
        }
        var article: UUID?
        if let text = value("article") {
            guard let id = UUID(uuidString: text) else {
                throw WorkflowError.invalidInput("article must be an article id")
            }
            article = id
        }
        let filter = AuditFilter(
            actor: value("actor"), articleId: article, type: value("type"), since: try day("since", endOfDay: false),
            until: try day("until", endOfDay: true))
        return (filter, items)
    }

    private func page(_ request: Request, _ context: Context) async throws -> Response {
        let user = try allowed(context)
        let (filter, items) = try filter(request)
        let zone = ReaderZone(request: request)
        var rows: [AuditPage.Row] = []
        var more = false
        for try await record in desk.app.queries.audit(filter, pageSize: Self.shownRows + 1) {
            guard rows.count < Self.shownRows else {
                more = true
                break
            }
            rows.append(
                AuditPage.Row(
                    position: record.position, at: zone.show(record.at), actor: record.actor,
                    isSystem: record.actorKind == "system", articleId: record.articleId?.lowercased, subjectUser: record.user,
                    version: record.version, action: record.action, stateBefore: record.stateBefore,
                    stateAfter: record.stateAfter, why: record.reason ?? record.note ?? ""))
        }
        func link(_ format: String) -> String {
            var components = URLComponents()
            components.queryItems = items + [URLQueryItem(name: "format", value: format)]
            return "/desk/audit/download?" + (components.percentEncodedQuery ?? "")
        }
        let query = request.uri.queryParameters
        func echo(_ name: String) -> String { query[Substring(name)].map(String.init) ?? "" }
        return desk.templates.page(
            "audit",
            AuditPage(
                page: desk.chrome("Audit", user), actor: echo("actor"), article: echo("article"), type: echo("type"),
                since: echo("since"), until: echo("until"), rows: rows, more: more, csvLink: link("csv"),
                jsonlLink: link("jsonl")))
    }

    /// The whole matching trail, streamed as the API streams it: CSV (RFC 4180) or JSON lines.
    private func download(_ request: Request, _ context: Context) throws -> Response {
        _ = try allowed(context)
        let (filter, _) = try filter(request)
        let csv = request.uri.queryParameters["format"] != "jsonl"
        let chunks = desk.app.queries.audit(filter).chunks(csv: csv)
        let body = ResponseBody { writer in
            for try await chunk in chunks { try await writer.write(ByteBuffer(bytes: chunk)) }
            try await writer.finish(nil)
        }
        let name = csv ? "audit.csv" : "audit.jsonl"
        return Response(
            status: .ok,
            headers: [
                .contentType: csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
                .contentDisposition: "attachment; filename=\"\(name)\"",
            ],
            body: body)
    }
}
