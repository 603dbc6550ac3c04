import Editorial
import EventStore
import Foundation

/// Folds events arriving in stream order into projection rows, one article or user at a time.
///
/// Each article's or user's row is saved once, when its stream ends, so the rows can be copied
/// into empty tables without any row being replaced.
struct StreamProjector: Sendable {
    /// The stream being folded, and its state so far.
    private enum Folding: Sendable {
        case article(Article?)
        case user(UserAccount?)
        /// A stream that projects nothing.
        case other
    }

    private var batch = ProjectionBatch()
    private var stream: String?
    private var folding = Folding.other
    private(set) var articles = 0

    mutating func apply(_ event: ReplayEvent) throws {
        if event.stream != stream {
            saveFolded()
            stream = event.stream
            folding =
                ArticleStream.articleId(of: event.stream) != nil
                ? .article(nil) : UserStream.userName(of: event.stream) != nil ? .user(nil) : .other
        }
        switch folding {
        case .article(let state):
            let decoded = try Self.readable(event) {
                try ArticleEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)
            }
            let after = ArticleDecider.evolve(state, decoded)
            if state == nil && after != nil { articles += 1 }
            folding = .article(after)
            guard let after else { return }
            batch.record(decoded, before: state, after: after, position: event.position, metadata: event.metadata)
        case .user(let state):
            let decoded = try Self.readable(event) {
                try UserEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)
            }
            let after = UserDecider.evolve(state, decoded)
            folding = .user(after)
            guard let after else { return }
            batch.record(decoded, before: state, after: after, position: event.position, metadata: event.metadata)
        case .other:
            return
        }
    }

    /// The decoded event, or `UnreadableEvent` naming where it is.
    private static func readable<Decoded>(_ event: ReplayEvent, _ decode: () throws -> Decoded) throws -> Decoded {
        do {
            return try decode()
        } catch {
            throw UnreadableEvent(position: event.position, stream: event.stream, problem: "\(error)")
        }
    }

    /// The rows folded so far, handed over to be written; the stream still being folded is saved later.
    mutating func takeBatch() -> ProjectionBatch {
        defer { batch = ProjectionBatch() }
        return batch
    }

    /// The remaining rows, the last stream's included, once every event has been applied.
    mutating func finish() -> ProjectionBatch {
        saveFolded()
        stream = nil
        folding = .other
        return takeBatch()
    }

    private mutating func saveFolded() {
        switch folding {
        case .article(let state?): batch.save(state)
        case .user(let state?): batch.save(state)
        case .article(nil), .user(nil), .other: break
        }
    }
}
