import Editorial
import EventStore
import Foundation

/// How articles map onto event streams: one stream per article, named `article-<uuid>`.
public enum ArticleStream {
    public static func name(for article: UUID) -> String { "article-\(article.lowercased)" }

    /// The article id of a stream name, or nil for a stream that is not an article's.
    public static func articleId(of stream: String) -> UUID? {
        guard stream.hasPrefix("article-") else { return nil }
        return UUID(uuidString: String(stream.dropFirst("article-".count)))
    }

    /// The domain event stored in a recorded event.
    public static func decode(_ recorded: RecordedEvent) throws -> ArticleEvent {
        try ArticleEvent.decode(type: recorded.type, schemaVersion: recorded.schemaVersion, data: recorded.data)
    }

    /// Domain events as events to append.
    public static func newEvents(_ events: [ArticleEvent]) -> [NewEvent] {
        events.map { event in
            let encoded = event.encoded()
            return NewEvent(type: encoded.type, schemaVersion: ArticleEvent.schemaVersion, data: encoded.data)
        }
    }
}
