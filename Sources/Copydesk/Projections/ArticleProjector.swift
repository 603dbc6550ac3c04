import Editorial
import EventStore
import Foundation
import Postgres

/// Builds the projection rows of article events (current article, revisions, audit log) and
/// writes them in few statements.
///
/// The command service fills one batch per command and writes it in the append transaction;
/// import and replay fill batches of thousands of events and copy them in. All pass the same
/// inputs (event, states before and after, position, metadata), so all produce the same rows.
public struct ProjectionBatch: Sendable {
    var audit: [AuditRow] = []
    var revisions: [RevisionRow] = []
    var articles: [ArticleRow] = []
    var users: [UserRow] = []
    /// Where each article's row is in `articles`.
    private var articleIndex: [UUID: Int] = [:]

    public init() {}

    /// How many events the batch holds.
    public var eventCount: Int { audit.count }

    /// Records one event: its audit row, and a revision when it changed the text.
    ///
    /// `position` is the event's global position when it is already stored (replay, import);
    /// a command projects its events before they are appended and names them by `eventId` instead.
    public mutating func record(
        _ event: ArticleEvent, before: Article?, after: Article, position: Int64?, eventId: UUID? = nil,
        metadata: EventMetadata
    ) {
        audit.append(AuditRow(
            event, before: before, after: after, position: position, eventId: eventId, metadata: metadata))
        switch event {
        case .drafted, .edited:
            revisions.append(RevisionRow(after, by: event.by, at: event.at, eventId: eventId))
        case .submitted, .changesRequested, .approved, .publicationScheduled, .publicationUnscheduled, .published,
            .unpublished, .archived, .restored, .commented:
            break
        }
    }

    /// Folds the events as stored (decoded again, exactly as replay will see them) onto `state`,
    /// recording each with its global position, or by its id when `positions` is nil (not yet
    /// appended); returns the article after them.
    public mutating func project(
        _ stored: [NewEvent], positions: [Int64]?, onto state: Article?, metadata: EventMetadata
    ) throws -> Article? {
        var state = state
        for (index, event) in stored.enumerated() {
            let decoded = try ArticleEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)
            let before = state
            state = ArticleDecider.evolve(state, decoded)
            if let after = state {
                record(
                    decoded, before: before, after: after, position: positions?[index], eventId: event.id,
                    metadata: metadata)
            }
        }
        if let state { save(state) }
        return state
    }

    /// Records the article's state after the batch's events (insert or replace; the last save of
    /// an article in a batch wins, as one INSERT may not touch a row twice).
    public mutating func save(_ article: Article) {
        if let index = articleIndex[article.id] {
            articles[index] = ArticleRow(article)
        } else {
            articleIndex[article.id] = articles.count
            articles.append(ArticleRow(article))
        }
    }

    /// Records one user event: its audit row.
    mutating func record(
        _ event: UserEvent, before: UserAccount?, after: UserAccount, position: Int64?, eventId: UUID? = nil,
        metadata: EventMetadata
    ) {
        audit.append(AuditRow(
            event, before: before, after: after, position: position, eventId: eventId, metadata: metadata))
    }

    /// Folds user events as stored onto `state`, as `project` does for an article's.
    mutating func projectUser(
        _ stored: [NewEvent], positions: [Int64]?, onto state: UserAccount?, metadata: EventMetadata
    ) throws -> UserAccount? {
        var state = state
        for (index, event) in stored.enumerated() {
            let decoded = try UserEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)
            let before = state
            state = UserDecider.evolve(state, decoded)
            if let after = state {
                record(
                    decoded, before: before, after: after, position: positions?[index], eventId: event.id,
                    metadata: metadata)
            }
        }
        if let state { save(state) }
        return state
    }

    /// Records a user's state after the batch's events (rows of one user are not saved twice:
    /// a user's commands are one per batch, and replay saves a user once, at its stream's end).
    mutating func save(_ user: UserAccount) {
        users.append(UserRow(user))
    }

    /// Adds the batch's statements (one per table) to a pipeline, after the append of its events
    /// and in the same transaction.
    ///
    /// The rows are projected before the append, so each takes its event's global position from
    /// the store (`EventStore.appendedPosition`), and none is written unless its event was: when
    /// the append turns out to be a duplicate command (written nothing), neither do these.
    /// `articleRowExists` says whether the article's row was there when the command read it.
    public func append(afterAppending events: [NewEvent], articleRowExists: Bool, to pipeline: inout Pipeline) {
        if !audit.isEmpty {
            pipeline.append(
                """
                INSERT INTO audit_log (\(AuditRow.columns))
                SELECT e.global_position, \(AuditRow.columnsAfterPositionOfX)
                FROM jsonb_to_recordset($1::jsonb) AS x(event_id uuid, \(AuditRow.columnTypesAfterPosition))
                CROSS JOIN LATERAL \(EventStore.appendedPosition(ofEvent: "x.event_id")) AS e
                """,
                [JSONRows.array(audit) { $0.json }])
        }
        if !revisions.isEmpty {
            pipeline.append(
                """
                INSERT INTO revisions (\(RevisionRow.columns))
                SELECT \(RevisionRow.columns) FROM jsonb_to_recordset($1::jsonb) AS x(event_id uuid, \(RevisionRow.columnTypes))
                CROSS JOIN LATERAL \(EventStore.appendedPosition(ofEvent: "x.event_id")) AS stored
                """,
                [JSONRows.array(revisions) { $0.json }])
        }
        if !users.isEmpty, let last = events.last {
            pipeline.append(
                """
                INSERT INTO users (\(UserRow.columns))
                SELECT \(UserRow.columns) FROM jsonb_to_recordset($1::jsonb) AS x(\(UserRow.columnTypes))
                WHERE \(EventStore.wasAppended(event: "$2"))
                ON CONFLICT (name) DO UPDATE SET \(UserRow.updates)
                """,
                [JSONRows.array(users) { $0.json }, last.id])
        }
        if !articles.isEmpty, let last = events.last {
            // An existing row is updated in place, so that its search vector is recomputed only
            // when its text changed (an upsert would compute it for the row it tries to insert).
            pipeline.append(
                articleRowExists
                    ? """
                    UPDATE articles AS a SET \(ArticleRow.assignmentsFromX)
                    FROM jsonb_to_recordset($1::jsonb) AS x(\(ArticleRow.columnTypes))
                    WHERE a.id = x.id AND \(EventStore.wasAppended(event: "$2"))
                    """
                    : """
                    INSERT INTO articles (\(ArticleRow.columns))
                    SELECT \(ArticleRow.columns) FROM jsonb_to_recordset($1::jsonb) AS x(\(ArticleRow.columnTypes))
                    WHERE \(EventStore.wasAppended(event: "$2"))
                    ON CONFLICT (id) DO UPDATE SET \(ArticleRow.updates)
                    """,
                [JSONRows.array(articles) { $0.json }, last.id])
        }
    }
}
