import Editorial
import EventStore
import Foundation
import Postgres

/// Writes the projections of article events: the current article, its revisions and the audit log.
///
/// The command service calls it inside the append transaction; replay calls it with the stored
/// events. Both pass the same inputs (event, states before and after, position, metadata), so
/// both produce the same rows.
public enum ArticleProjector {
    /// Records one event: its audit row, and a revision when it changed the text.
    public static func record(
        _ event: ArticleEvent, before: Article?, after: Article, position: Int64, metadata: EventMetadata,
        on connection: isolated Connection
    ) throws {
        let entry = AuditEntry(event, before: before, after: after)
        try connection.query(
            """
            INSERT INTO audit_log (global_position, article_id, version, event_type, action, actor, at,
                                   status_before, status_after, changed, reason, note, origin, command_id, correlation_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """,
            [position, after.id, after.version, entry.eventType, entry.action, metadata.actor, event.at,
             before?.status.rawValue, after.status.rawValue, entry.changed, entry.reason, entry.note,
             metadata.origin.rawValue, metadata.commandId, metadata.correlationId])
        switch event {
        case .drafted, .edited:
            let content = after.content
            try connection.query(
                """
                INSERT INTO revisions (article_id, version, title, lead, body, section, tags, author, at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                [after.id, after.version, content.title, content.lead, content.body, content.section, content.tags,
                 event.by, event.at])
        case .submitted, .changesRequested, .approved, .publicationScheduled, .published, .unpublished, .archived,
            .commented:
            break
        }
    }

    /// Saves the article's current state (insert or replace).
    public static func save(_ article: Article, on connection: isolated Connection) throws {
        let content = article.content
        let live = article.live
        try connection.query(
            """
            INSERT INTO articles (id, status, version, title, lead, body, section, tags, author, created_at, updated_at,
                                  original_date, live_title, live_lead, live_body, live_section, live_tags,
                                  live_published_at, live_published_by, pending_revision, contributors, scheduled_for)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
            ON CONFLICT (id) DO UPDATE SET
                status = excluded.status, version = excluded.version, title = excluded.title, lead = excluded.lead,
                body = excluded.body, section = excluded.section, tags = excluded.tags, author = excluded.author,
                created_at = excluded.created_at, updated_at = excluded.updated_at,
                original_date = excluded.original_date, live_title = excluded.live_title,
                live_lead = excluded.live_lead, live_body = excluded.live_body, live_section = excluded.live_section,
                live_tags = excluded.live_tags, live_published_at = excluded.live_published_at,
                live_published_by = excluded.live_published_by, pending_revision = excluded.pending_revision,
                contributors = excluded.contributors, scheduled_for = excluded.scheduled_for
            """,
            [article.id, article.status.rawValue, article.version, content.title, content.lead, content.body,
             content.section, content.tags, article.author, article.createdAt, article.updatedAt,
             article.originalDate, live?.content.title, live?.content.lead, live?.content.body,
             live?.content.section, live?.content.tags, live?.publishedAt, live?.publishedBy,
             article.pendingRevision, article.contributors.sorted(), article.scheduledFor])
    }
}

/// The audit-log reading of one event: what was done, what changed, and the reason or note given.
struct AuditEntry {
    let eventType: String
    let action: String
    let changed: [String]
    let reason: String?
    let note: String?

    init(_ event: ArticleEvent, before: Article?, after: Article) {
        eventType = event.typeName
        switch event {
        case .drafted(let drafted):
            action = "draft"
            changed = ContentChanges(from: ArticleContent(title: ""), to: drafted.content).fieldNames
            reason = nil
            note = nil
        case .edited(let edited):
            action = "edit"
            changed = edited.changes.fieldNames
            reason = nil
            note = edited.note
        case .submitted:
            (action, changed, reason, note) = ("submit", [], nil, nil)
        case .changesRequested(let requested):
            (action, changed, reason, note) = ("request-changes", [], requested.reason, nil)
        case .approved(let approved):
            (action, changed, reason, note) = ("approve", [], nil, approved.note)
        case .publicationScheduled:
            (action, changed, reason, note) = ("schedule", [], nil, nil)
        case .published(let published):
            (action, changed, reason, note) = (published.scheduledFor == nil ? "publish" : "publish-due", ["live"], nil, nil)
        case .unpublished(let unpublished):
            (action, changed, reason, note) = ("unpublish", before?.live == nil ? [] : ["live"], unpublished.reason, nil)
        case .archived:
            (action, changed, reason, note) = ("archive", [], nil, nil)
        case .commented(let comment):
            (action, changed, reason, note) = ("comment", [], nil, comment.text)
        }
    }
}

extension ContentChanges {
    /// The names of the fields this change sets, in a fixed order.
    var fieldNames: [String] {
        [("title", title != nil), ("lead", lead != nil), ("body", body != nil), ("section", section != nil),
         ("tags", tags != nil)].filter(\.1).map(\.0)
    }
}
