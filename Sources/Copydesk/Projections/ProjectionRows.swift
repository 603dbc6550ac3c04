import Editorial
import EventStore
import Foundation
import Postgres

/// One row of `audit_log`: who did what, when, why and from where.
struct AuditRow: Sendable {
    /// Nil until the event is stored; then the JSON form is matched to it by `event_id`.
    let global_position: Int64?
    let event_id: UUID?
    /// The article the event is about, or nil for an event about a user (`user_name`).
    let article_id: UUID?
    let user_name: String?
    let version: Int64
    let event_type: String
    let action: String
    let actor: String
    let actor_kind: String
    let at: Date
    let status_before: String?
    let status_after: String
    let changed: [String]
    let reason: String?
    let note: String?
    let origin: String
    let command_id: UUID
    let correlation_id: String

    static let columns = """
        global_position, article_id, user_name, version, event_type, action, actor, actor_kind, at, status_before, \
        status_after, changed, reason, note, origin, command_id, correlation_id
        """
    /// The columns but the position, of the recordset `x` (qualified: the events joined to it share names).
    static let columnsAfterPositionOfX = columns.split(separator: ",").dropFirst()
        .map { "x.\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
    static let columnTypesAfterPosition = """
        article_id uuid, user_name text, version bigint, event_type text, action text, actor text, actor_kind text, at timestamptz, \
        status_before text, status_after text, changed text[], reason text, note text, origin text, command_id uuid, \
        correlation_id text
        """

    init(
        _ event: ArticleEvent, before: Article?, after: Article, position: Int64?, eventId: UUID?,
        metadata: EventMetadata
    ) {
        let reading = AuditReading(event, before: before)
        global_position = position
        event_id = eventId
        article_id = after.id
        user_name = nil
        version = after.version
        event_type = event.typeName
        action = reading.action
        actor = metadata.actor
        actor_kind = metadata.actorKind.rawValue
        at = event.at
        status_before = before?.status.rawValue
        status_after = after.status.rawValue
        changed = reading.changed
        reason = reading.reason
        note = reading.note
        origin = metadata.origin.rawValue
        command_id = metadata.commandId
        correlation_id = metadata.correlationId
    }

    init(
        _ event: UserEvent, before: UserAccount?, after: UserAccount, position: Int64?, eventId: UUID?,
        metadata: EventMetadata
    ) {
        global_position = position
        event_id = eventId
        article_id = nil
        user_name = after.name
        version = after.version
        event_type = event.typeName
        action = event.action
        actor = metadata.actor
        actor_kind = metadata.actorKind.rawValue
        at = event.at
        status_before = before?.state
        status_after = after.state
        changed = event.changed
        reason = event.reason
        note = Self.note(event)
        origin = metadata.origin.rawValue
        command_id = metadata.commandId
        correlation_id = metadata.correlationId
    }

    /// What a user event did besides its state, in the audit log's words.
    private static func note(_ event: UserEvent) -> String? {
        switch event {
        case .added(let e): "role \(e.role.rawValue)"
        case .roleChanged(let e): "role \(e.from.rawValue) → \(e.to.rawValue)"
        case .tokenIssued(let e): "token \(e.tokenId)"
        case .tokenRevoked(let e): "token \(e.tokenId)"
        case .disabled, .enabled, .passwordSet: nil
        }
    }
}

/// One row of `revisions`: the full text after an event that changed it.
struct RevisionRow: Sendable {
    /// The event that made this revision, for matching the JSON form to it.
    let event_id: UUID?
    let article_id: UUID
    let version: Int64
    let title: String
    let lead: String
    let body: String
    let section: String
    let tags: [String]
    let author: String
    let at: Date

    static let columns = "article_id, version, title, lead, body, section, tags, author, at"
    static let columnTypes = """
        article_id uuid, version bigint, title text, lead text, body text, section text, tags text[], author text, \
        at timestamptz
        """

    init(_ article: Article, by: String, at: Date, eventId: UUID?) {
        event_id = eventId
        article_id = article.id
        version = article.version
        title = article.content.title
        lead = article.content.lead
        body = article.content.body
        section = article.content.section
        tags = article.content.tags
        author = by
        self.at = at
    }
}

/// One row of `articles`: the current state, with the live revision when published.
struct ArticleRow: Sendable {
    let id: UUID
    let status: String
    let version: Int64
    let title: String
    let lead: String
    let body: String
    let section: String
    let tags: [String]
    let author: String
    let created_at: Date
    let updated_at: Date
    let original_date: String?
    let live_title: String?
    let live_lead: String?
    let live_body: String?
    let live_section: String?
    let live_tags: [String]?
    let live_published_at: Date?
    let live_published_by: String?
    let pending_revision: Bool
    let contributors: [String]
    let scheduled_for: Date?
    /// `ArticleContent` as JSON: the text live last, kept after it is withdrawn.
    let last_live_content: String?

    static let columns = """
        id, status, version, title, lead, body, section, tags, author, created_at, updated_at, original_date, \
        live_title, live_lead, live_body, live_section, live_tags, live_published_at, live_published_by, \
        pending_revision, contributors, scheduled_for, last_live_content
        """
    static let columnTypes = """
        id uuid, status text, version bigint, title text, lead text, body text, section text, tags text[], \
        author text, created_at timestamptz, updated_at timestamptz, original_date date, live_title text, \
        live_lead text, live_body text, live_section text, live_tags text[], live_published_at timestamptz, \
        live_published_by text, pending_revision boolean, contributors text[], scheduled_for timestamptz, \
        last_live_content jsonb
        """
    static let updates = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { $0 != "id" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
    /// `status = x.status, ...`: every column but the id, from the recordset `x`.
    static let assignmentsFromX = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { $0 != "id" }.map { "\($0) = x.\($0)" }.joined(separator: ", ")

    init(_ article: Article) {
        id = article.id
        status = article.status.rawValue
        version = article.version
        title = article.content.title
        lead = article.content.lead
        body = article.content.body
        section = article.content.section
        tags = article.content.tags
        author = article.author
        created_at = article.createdAt
        updated_at = article.updatedAt
        original_date = article.originalDate
        live_title = article.live?.content.title
        live_lead = article.live?.content.lead
        live_body = article.live?.content.body
        live_section = article.live?.content.section
        live_tags = article.live?.content.tags
        live_published_at = article.live?.publishedAt
        live_published_by = article.live?.publishedBy
        pending_revision = article.pendingRevision
        contributors = article.contributors.sorted()
        scheduled_for = article.scheduledFor
        last_live_content = article.lastLiveContent.map(Self.json)
    }

    /// The content as a JSON object with the keys `ArticleContent`'s coding uses, written by hand
    /// like the rest of the row (see ProjectionRows+JSON).
    static func json(_ content: ArticleContent) -> String {
        "{\"body\":\(JSONText.quoted(content.body)),\"lead\":\(JSONText.quoted(content.lead)),"
            + "\"section\":\(JSONText.quoted(content.section)),"
            + "\"tags\":[\(content.tags.map(JSONText.quoted).joined(separator: ","))],"
            + "\"title\":\(JSONText.quoted(content.title))}"
    }
}

/// The audit-log reading of one event: what was done, what changed, and the reason or note given.
struct AuditReading {
    let action: String
    let changed: [String]
    let reason: String?
    let note: String?

    init(_ event: ArticleEvent, before: Article?) {
        switch event {
        case .drafted(let drafted):
            (action, changed, reason, note) =
                ("draft", ContentChanges(from: ArticleContent(title: ""), to: drafted.content).fieldNames, nil, nil)
        case .edited(let edited):
            // What the edit also did (which version it brought back, which schedule it cancelled) goes
            // beside the editor's note; an edit of before these existed reads exactly as it did.
            let done = [
                edited.revertedTo.map { "reverted to version \($0)" },
                edited.cancelledSchedule.map {
                    "cancelled the publication scheduled for \(EventTimestamp.string(from: $0))"
                },
                edited.note,
            ].compactMap { $0 }
            (action, changed, reason, note) = (
                edited.revertedTo == nil ? "edit" : "revert", edited.changes.fieldNames, nil,
                done.isEmpty ? nil : done.joined(separator: "; ")
            )
        case .submitted:
            (action, changed, reason, note) = ("submit", [], nil, nil)
        case .changesRequested(let requested):
            (action, changed, reason, note) = ("request-changes", [], requested.reason, nil)
        case .approved(let approved):
            (action, changed, reason, note) = ("approve", [], nil, approved.note)
        case .publicationScheduled(let scheduled):
            (action, changed, reason, note) =
                ("schedule", [], nil, "scheduled for \(EventTimestamp.string(from: scheduled.scheduledFor))")
        case .publicationUnscheduled(let unscheduled):
            let was = "was scheduled for \(EventTimestamp.string(from: unscheduled.scheduledFor))"
            (action, changed, reason, note) = ("unschedule", [], unscheduled.reason, was)
        case .published(let published):
            var lateness: String?
            if let scheduledFor = published.scheduledFor {
                lateness = "scheduled for \(scheduledFor.postgresText), published "
                    + String(format: "%.0f", published.latenessSeconds ?? 0) + " s late"
            }
            (action, changed, reason, note) = (published.scheduledFor == nil ? "publish" : "publish-due", ["live"], nil, lateness)
        case .unpublished(let unpublished):
            (action, changed, reason, note) = ("unpublish", before?.live == nil ? [] : ["live"], unpublished.reason, nil)
        case .archived:
            (action, changed, reason, note) = ("archive", [], nil, nil)
        case .restored(let restored):
            (action, changed, reason, note) = ("restore", [], restored.reason, nil)
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
