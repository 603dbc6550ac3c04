import Editorial
import EventStore
import Foundation
import Postgres

/// Builds the projection rows of article events (current article, revisions, audit log) and
/// writes them in few statements.
///
/// The command service fills one batch per command inside the append transaction; replay fills
/// batches of thousands of events. Both pass the same inputs (event, states before and after,
/// position, metadata), so both produce the same rows.
public struct ProjectionBatch: Sendable {
    var audit: [AuditRow] = []
    var revisions: [RevisionRow] = []
    var articles: [ArticleRow] = []
    /// Where each article's row is in `articles`.
    private var articleIndex: [UUID: Int] = [:]

    public init() {}

    /// How many events the batch holds.
    public var eventCount: Int { audit.count }

    /// Records one event: its audit row, and a revision when it changed the text.
    public mutating func record(
        _ event: ArticleEvent, before: Article?, after: Article, position: Int64, metadata: EventMetadata
    ) {
        audit.append(AuditRow(event, before: before, after: after, position: position, metadata: metadata))
        switch event {
        case .drafted, .edited:
            revisions.append(RevisionRow(after, by: event.by, at: event.at))
        case .submitted, .changesRequested, .approved, .publicationScheduled, .published, .unpublished, .archived,
            .commented:
            break
        }
    }

    /// Folds the events as stored (decoded again, exactly as replay will see them) onto `state`,
    /// recording each with its global position; returns the article after them.
    public mutating func project(
        _ stored: [NewEvent], positions: [Int64], onto state: Article?, metadata: EventMetadata
    ) throws -> Article? {
        var state = state
        for (event, position) in zip(stored, positions) {
            let decoded = try ArticleEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)
            let before = state
            state = ArticleDecider.evolve(state, decoded)
            if let after = state { record(decoded, before: before, after: after, position: position, metadata: metadata) }
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

    /// Writes the batch with one statement per table, into whichever tables the connection's
    /// search path finds first (replay points it at fresh tables).
    public func write(on connection: isolated Connection) throws {
        var pipeline = Pipeline()
        try append(to: &pipeline)
        _ = try connection.run(pipeline)
    }

    /// Adds the batch's statements (one per table) to a pipeline, to be sent with others.
    public func append(to pipeline: inout Pipeline) throws {
        if !audit.isEmpty {
            pipeline.append(
                """
                INSERT INTO audit_log (\(AuditRow.columns))
                SELECT \(AuditRow.columns) FROM jsonb_to_recordset($1::jsonb) AS x(\(AuditRow.columnTypes))
                """,
                [try Self.json(audit)])
        }
        if !revisions.isEmpty {
            pipeline.append(
                """
                INSERT INTO revisions (\(RevisionRow.columns))
                SELECT \(RevisionRow.columns) FROM jsonb_to_recordset($1::jsonb) AS x(\(RevisionRow.columnTypes))
                """,
                [try Self.json(revisions)])
        }
        if !articles.isEmpty {
            pipeline.append(
                """
                INSERT INTO articles (\(ArticleRow.columns))
                SELECT \(ArticleRow.columns) FROM jsonb_to_recordset($1::jsonb) AS x(\(ArticleRow.columnTypes))
                ON CONFLICT (id) DO UPDATE SET \(ArticleRow.updates)
                """,
                [try Self.json(articles)])
        }
    }

    /// Rows as one JSON array; times with microseconds, as PostgreSQL keeps them.
    static func json<Row: Encodable>(_ rows: [Row]) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.postgresText)
        }
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }
}
