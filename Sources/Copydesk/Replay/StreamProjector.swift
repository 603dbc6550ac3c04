import Editorial
import EventStore
import Foundation
import Postgres

/// What replay reads of an event: the metadata's fields come out of the JSON in SQL, by position.
struct ReplayedEvent {
    let position: Int64
    let stream: String
    let type: String
    let schemaVersion: Int
    let data: String
    let metadata: EventMetadata

    static let columns = """
        global_position, stream_id, event_type, schema_version, data::text,
        metadata ->> 'actor', metadata ->> 'commandId', metadata ->> 'correlationId', metadata ->> 'causationId',
        metadata ->> 'origin'
        """

    init(row: Row) throws {
        position = try row.decode(0)
        stream = try row.decode(1)
        type = try row.decode(2)
        schemaVersion = try row.decode(3)
        data = try row.decode(4)
        let originText: String = try row.decode(9)
        guard let origin = Origin(rawValue: originText) else {
            throw PostgresError(kind: .invalidValue, message: "event \(position) has an unknown origin \"\(originText)\"")
        }
        metadata = EventMetadata(
            actor: try row.decode(5), commandId: try row.decode(6), correlationId: try row.decode(7),
            causationId: try row.decode(8), origin: origin)
    }
}

/// Folds events arriving in stream order into projection rows, one article at a time.
///
/// Each article's row is saved once, when its stream ends, so the rows can be copied into empty
/// tables without any row being replaced.
struct StreamProjector: Sendable {
    private var batch = ProjectionBatch()
    private var stream: String?
    private var state: Article?
    /// Whether `stream` is an article's (other streams are skipped).
    private var isArticleStream = false
    private(set) var articles = 0

    mutating func apply(_ event: ReplayedEvent) throws {
        if event.stream != stream {
            if let state { batch.save(state) }
            stream = event.stream
            state = nil
            isArticleStream = ArticleStream.articleId(of: event.stream) != nil
        }
        guard isArticleStream else { return }
        let decoded = try ArticleEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)
        let before = state
        state = ArticleDecider.evolve(state, decoded)
        if before == nil && state != nil { articles += 1 }
        guard let after = state else { return }
        batch.record(decoded, before: before, after: after, position: event.position, metadata: event.metadata)
    }

    /// The rows folded so far, handed over to be written; the article still being folded is saved later.
    mutating func takeBatch() -> ProjectionBatch {
        defer { batch = ProjectionBatch() }
        return batch
    }

    /// The remaining rows, the last article's included, once every event has been applied.
    mutating func finish() -> ProjectionBatch {
        if let state { batch.save(state) }
        stream = nil
        state = nil
        return takeBatch()
    }
}
