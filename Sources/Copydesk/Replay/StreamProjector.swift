import Editorial
import EventStore
import Foundation

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

    mutating func apply(_ event: ReplayEvent) throws {
        if event.stream != stream {
            if let state { batch.save(state) }
            stream = event.stream
            state = nil
            isArticleStream = ArticleStream.articleId(of: event.stream) != nil
        }
        guard isArticleStream else { return }
        let decoded: ArticleEvent
        do {
            decoded = try ArticleEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)
        } catch {
            throw UnreadableEvent(position: event.position, stream: event.stream, problem: "\(error)")
        }
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
