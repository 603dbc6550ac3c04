import Editorial
import Foundation
import Postgres
import Timestamps

/// The decider's state of an article read back from its `articles` row.
///
/// The row holds every field of `Article` and is written in the same transaction as the events,
/// so it is the state at some version of the stream; a command folds only the events after that
/// version instead of the whole stream (a snapshot, in event-sourcing terms). `replay --verify`
/// proves the rows equal what the events fold to.
package enum ArticleSnapshot {
    /// Selects the row of article `$1` with the columns `article(from:)` reads.
    package static let select = """
        SELECT id, status, version, title, lead, body, section, tags, author, created_at, updated_at,
               original_date::text AS original_date, live_title, live_lead, live_body, live_section, live_tags,
               live_published_at, live_published_by, pending_revision, contributors, scheduled_for,
               last_live_content::text AS last_live_content
        FROM articles WHERE id = $1
        """

    /// The article a row selected with `select` holds.
    ///
    /// Times come back as microseconds from PostgreSQL; events keep milliseconds, so they are
    /// cut to the millisecond, which gives the `Date` an event's text decodes to and compares equal
    /// to the folded state.
    static func article(from row: Row) throws -> Article {
        func time(_ column: String) throws -> Date { try row.decode(column, as: Date.self).truncatedToMilliseconds }
        func timeIfPresent(_ column: String) throws -> Date? {
            try row.decodeIfPresent(column, as: Date.self)?.truncatedToMilliseconds
        }
        let statusText: String = try row.decode("status")
        guard let status = ArticleStatus(rawValue: statusText) else {
            throw PostgresError(kind: .invalidValue, message: "articles row has an unknown status \"\(statusText)\"")
        }
        var live: LiveRevision?
        if let publishedAt = try timeIfPresent("live_published_at") {
            live = LiveRevision(
                content: ArticleContent(
                    title: try row.decode("live_title"), lead: try row.decode("live_lead"),
                    body: try row.decode("live_body"), section: try row.decode("live_section"),
                    tags: try row.decode("live_tags")),
                publishedAt: publishedAt, publishedBy: try row.decode("live_published_by"))
        }
        return Article(
            id: try row.decode("id"), status: status, version: try row.decode("version"),
            content: ArticleContent(
                title: try row.decode("title"), lead: try row.decode("lead"), body: try row.decode("body"),
                section: try row.decode("section"), tags: try row.decode("tags")),
            author: try row.decode("author"), createdAt: try time("created_at"), updatedAt: try time("updated_at"),
            originalDate: try row.decodeIfPresent("original_date"), live: live,
            pendingRevision: try row.decode("pending_revision"),
            contributors: Set(try row.decode("contributors", as: [String].self)),
            scheduledFor: try timeIfPresent("scheduled_for"),
            lastLiveContent: try row.decodeIfPresent("last_live_content", as: String.self).map(content(fromJSON:)))
    }

    /// The content a `last_live_content` column holds.
    private static func content(fromJSON text: String) throws -> ArticleContent {
        do {
            return try JSONDecoder().decode(ArticleContent.self, from: Data(text.utf8))
        } catch {
            throw PostgresError(kind: .invalidValue, message: "articles row has an unreadable last_live_content")
        }
    }
}
