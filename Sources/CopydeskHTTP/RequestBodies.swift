import Copydesk
import Editorial
import Foundation

/// `POST /articles`.
struct DraftBody: Decodable, KnownFields {
    let title: String
    let lead: String?
    let body: String?
    let section: String?
    let tags: [String]?
    static let fields: [String: JSONType] = [
        "title": .string, "lead": .string, "body": .string, "section": .string, "tags": .arrayOfStrings,
    ]

    var content: ArticleContent {
        ArticleContent(title: title, lead: lead ?? "", body: body ?? "", section: section ?? "", tags: tags ?? [])
    }
}

/// `PATCH /articles/{id}`.
struct EditBody: Decodable, KnownFields {
    let title: String?
    let lead: String?
    let body: String?
    let section: String?
    let tags: [String]?
    let note: String?
    static let fields: [String: JSONType] = [
        "title": .string, "lead": .string, "body": .string, "section": .string, "tags": .arrayOfStrings, "note": .string,
    ]

    var changes: ContentChanges { ContentChanges(title: title, lead: lead, body: body, section: section, tags: tags) }
}

/// `request-changes` and `unpublish`.
struct ReasonBody: Decodable, KnownFields {
    let reason: String
    static let fields: [String: JSONType] = ["reason": .string]
}

// `unschedule` and `restore` take `OptionalReasonBody` (UsersController.swift), as user changes do.

/// `revert`: the version whose text becomes the working text again, and an optional note.
struct RevertBody: Decodable, KnownFields {
    let version: Int64
    let note: String?
    static let fields: [String: JSONType] = ["version": .integer, "note": .string]
}

/// `approve`.
struct NoteBody: Decodable, KnownFields {
    let note: String?
    static let fields: [String: JSONType] = ["note": .string]
}

/// `publish`: `at` (ISO 8601) schedules it.
struct PublishBody: Decodable, KnownFields {
    let at: String?
    static let fields: [String: JSONType] = ["at": .string]

    func date() throws -> Date? {
        guard let at else { return nil }
        guard let date = ISO8601.date(from: at) else {
            throw Problem(
                .unprocessableContent, type: "invalid-field", title: "Invalid field",
                detail: "Field \"at\" must be an ISO 8601 time such as 2026-12-01T09:00:00Z.")
        }
        return date
    }
}

/// `POST /articles/{id}/comments`.
struct CommentBody: Decodable, KnownFields {
    let text: String
    static let fields: [String: JSONType] = ["text": .string]
}

/// Routes that take no fields (`submit`, `archive`): an empty body or `{}`.
struct EmptyBody: Decodable, KnownFields {
    static let fields: [String: JSONType] = [:]
}
