import Copydesk
import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// One follower of the global log per server, shared by every open desk page.
///
/// Following the log holds a PostgreSQL connection of its own (it LISTENs for wake-ups), so a
/// follower per open browser tab would use up the database's connections; the hub follows once,
/// while at least one page listens, and hands each article event (ids only) to every listener.
actor DeskFeedHub {
    /// What a desk page learns of an event: which article moved to which version, nothing of its text.
    struct Note: Sendable {
        let cursor: String
        /// `{"position":..,"article":"..","version":..,"type":".."}`
        let json: String

        /// Sent every `heartbeatInterval` while nothing happens: a write to a page that was closed
        /// fails and frees its place, and proxies do not drop a quiet connection.
        static let heartbeat = Note(cursor: "", json: "")
        var isHeartbeat: Bool { cursor.isEmpty }
    }

    static var heartbeatInterval: Duration { .seconds(25) }

    private let store: EventStore
    private let pollInterval: Duration
    private var listeners: [UUID: AsyncStream<Note>.Continuation] = [:]
    private var follower: Task<Void, Never>?
    private var heartbeat: Task<Void, Never>?

    init(store: EventStore, pollInterval: Duration) {
        self.store = store
        self.pollInterval = pollInterval
    }

    /// The events from now on, until the caller stops iterating (the page closes) or the server
    /// shuts down. A page that falls far behind loses the oldest notes, never blocks the others.
    func listen(logger: Logger) -> AsyncStream<Note> {
        let (stream, continuation) = AsyncStream.makeStream(of: Note.self, bufferingPolicy: .bufferingNewest(256))
        let id = UUID()
        listeners[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        if follower == nil { follow(logger: logger) }
        return stream
    }

    private func remove(_ id: UUID) {
        listeners[id] = nil
        if listeners.isEmpty {
            follower?.cancel()
            follower = nil
            heartbeat?.cancel()
            heartbeat = nil
        }
    }

    private func follow(logger: Logger) {
        heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.heartbeatInterval)
                if !Task.isCancelled { self.broadcast(.heartbeat) }
            }
        }
        let (store, pollInterval) = (store, pollInterval)
        follower = Task {
            do {
                let head = try await store.headCursor()
                let events = store.subscribe(
                    after: head, pollInterval: pollInterval, stopWhen: { Task.isShuttingDownGracefully },
                    skipping: { logger.warning("desk feed skipped an unreadable event at \($0.position)") })
                for try await event in events {
                    guard let article = ArticleStream.articleId(of: event.streamId) else { continue }
                    let json =
                        "{\"position\":\(event.globalPosition),\"article\":\"\(article.lowercased)\","
                        + "\"version\":\(event.streamVersion),\"type\":\(Self.quoted(event.type))}"
                    self.broadcast(Note(cursor: event.cursor.description, json: json))
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("desk feed stopped: \(error)")
            }
            // Shutting down, or the log could not be read: pages reconnect (and start a new follower).
            self.finishAll()
        }
    }

    private func broadcast(_ note: Note) {
        for continuation in listeners.values { continuation.yield(note) }
    }

    private func finishAll() {
        let ended = listeners.values
        listeners = [:]
        follower = nil
        heartbeat?.cancel()
        heartbeat = nil
        for continuation in ended { continuation.finish() }
    }

    /// An event type as a JSON string; types are identifiers, but nothing is assumed.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
