import Editorial
import EventStore
import Foundation

/// Time travel: an article as it was at any version or instant, rebuilt from its events alone.
///
/// These read the event stream rather than the projections on purpose: the projections hold only
/// the present, and the events are the record of every past state.
extension ArticleQueries {
    /// The article as it was right after event `version`; nil when no article has this id.
    ///
    /// Throws `WorkflowError.invalidInput` for a version the article does not have.
    public func article(_ id: UUID, atVersion version: Int64) async throws -> ArticleView? {
        let events = try await events(of: id)
        guard !events.isEmpty else { return nil }
        try Self.check(version, of: id, versions: events.count)
        return try Self.view(of: id, folding: events.prefix(Int(version)))
    }

    /// The article as it was at `instant`: every event that happened then or before, in stream order.
    ///
    /// Nil when no article has this id; throws `WorkflowError.invalidInput` for an instant before it was drafted.
    public func article(_ id: UUID, at instant: Date) async throws -> ArticleView? {
        let events = try await events(of: id)
        guard let first = events.first else { return nil }
        // A prefix, not a filter: a later event never applies without the ones before it, even if clocks disagreed.
        let past = events.prefix { $0.at <= instant }
        guard !past.isEmpty else {
            throw WorkflowError.invalidInput(
                "article \(id.lowercased) did not exist yet at \(EventTimestamp.string(from: instant)); "
                    + "it was drafted at \(EventTimestamp.string(from: first.at))")
        }
        return try Self.view(of: id, folding: past)
    }

    /// The article's domain events, oldest first; empty when it has none.
    func events(of id: UUID) async throws -> [ArticleEvent] {
        let store = EventStore(pool: reads.primary)
        return try await reads.withConnection { connection in
            try await connection.perform { connection in try store.readStream(ArticleStream.name(for: id), on: connection) }
        }.map(ArticleStream.decode)
    }

    /// Refuses a version outside `1...versions`, naming the versions there are.
    static func check(_ version: Int64, of id: UUID, versions: Int) throws {
        guard (1...Int64(versions)).contains(version) else {
            throw WorkflowError.invalidInput(
                "article \(id.lowercased) has versions 1...\(versions); there is no version \(version)")
        }
    }

    /// The view of the state after `events`, which start with the article's first event.
    static func view(of id: UUID, folding events: ArraySlice<ArticleEvent>) throws -> ArticleView {
        ArticleView(article: try state(of: id, folding: events))
    }

    /// The state after `events`, which start with the article's first event.
    static func state(of id: UUID, folding events: ArraySlice<ArticleEvent>) throws -> Article {
        guard let article = ArticleDecider.fold(Array(events)) else {
            // A stream that does not start with a draft is not an article's; say so rather than show nothing.
            throw WorkflowError.invalidInput("the events of article \(id.lowercased) do not begin with a draft")
        }
        return article
    }
}
