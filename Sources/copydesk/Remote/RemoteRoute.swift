import Editorial
import Foundation
import NIOHTTP1
import Timestamps

/// How a workflow command travels over the HTTP API: its method, its path and its JSON body
/// (Sources/CopydeskHTTP/ArticleCommandsController.swift and openapi.yaml name the routes).
///
/// A new command is one more line in `init`: `case .restore: self = .post(article, "restore")`.
struct RemoteRoute: Sendable {
    let method: HTTPMethod
    let path: String
    /// The body's fields; a nil value is left out.
    let fields: [String: JSONField?]

    init(_ action: ArticleCommand.Action, on article: UUID) throws {
        switch action {
        // The server chooses a new article's id (derived from the Idempotency-Key, so a retry finds it).
        case .draft(_, let content, _):
            self.init(.POST, "/articles", [
                "title": .string(content.title), "lead": .string(content.lead), "body": .string(content.body),
                "section": .string(content.section), "tags": .strings(content.tags),
            ])
        case .edit(let changes, let note):
            self.init(.PATCH, "/articles/\(article.lowercased)", [
                "title": changes.title.map(JSONField.string), "lead": changes.lead.map(JSONField.string),
                "body": changes.body.map(JSONField.string), "section": changes.section.map(JSONField.string),
                "tags": changes.tags.map(JSONField.strings), "note": note.map(JSONField.string),
            ])
        case .submit: self = .post(article, "submit")
        case .requestChanges(let reason): self = .post(article, "request-changes", ["reason": .string(reason)])
        case .approve(let note): self = .post(article, "approve", ["note": note.map(JSONField.string)])
        case .publish(let at): self = .post(article, "publish", ["at": at.map { .string(Timestamp.string($0)) }])
        case .unpublish(let reason): self = .post(article, "unpublish", ["reason": .string(reason)])
        case .archive: self = .post(article, "archive")
        case .comment(let text): self = .post(article, "comments", ["text": .string(text)])
        case .unschedule(let reason): self = .post(article, "unschedule", ["reason": reason.map(JSONField.string)])
        case .restore(let reason): self = .post(article, "restore", ["reason": reason.map(JSONField.string)])
        case .revert(let version, _, let note):
            self = .post(article, "revert", ["version": .int(version), "note": note.map(JSONField.string)])
        case .publishDue:
            throw RemoteFailure(
                "publish-due is the scheduler's own command; `copydesk scheduler` runs it", status: RemoteFailure.usage)
        }
    }

    private init(_ method: HTTPMethod, _ path: String, _ fields: [String: JSONField?]) {
        self.method = method
        self.path = path
        self.fields = fields
    }

    /// `POST /articles/{id}/STEP` with `fields` as its body.
    private static func post(_ article: UUID, _ step: String, _ fields: [String: JSONField?] = [:]) -> RemoteRoute {
        RemoteRoute(.POST, "/articles/\(article.lowercased)/\(step)", fields)
    }

    /// The body as JSON, without the fields left out.
    func json() throws -> Data {
        try JSONEncoder().encode(fields.compactMapValues { $0 })
    }
}

/// One value in a command's JSON body.
enum JSONField: Encodable, Sendable {
    case string(String)
    case int(Int64)
    case strings([String])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}
