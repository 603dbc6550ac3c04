import Postgres

extension EventStore {
    /// The global log after `cursor` in pages of up to `pageSize` events, in log order, ending
    /// once every event readable now has been read.
    ///
    /// Gap-safe like `readAll` (DESIGN.md invariant 4), and one page at a time, so a reader far
    /// behind never holds the whole log in memory.
    ///
    /// An event it cannot read ends the iteration with `UnreadableEvent`, unless `skipping` is
    /// given: it is then told about the event and the iteration goes on after it.
    public func pages(
        after cursor: GlobalCursor = .start, pageSize: Int = 500,
        skipping: (@Sendable (UnreadableEvent) -> Void)? = nil
    ) -> EventPages {
        EventPages(store: self, start: cursor, pageSize: pageSize, following: nil, skipUnreadable: skipping)
    }

    /// The global log after `cursor` in pages, for as long as the caller keeps iterating: when
    /// the reader has caught up it waits for news instead of ending.
    ///
    /// Wakes on `NOTIFY copydesk_events` and also polls every `pollInterval`, so a lost
    /// notification delays an event by at most that long (DESIGN.md invariant 7). While the
    /// database is unreachable it waits a poll interval and tries again. Ends when the task is
    /// cancelled, or when `stopWhen` (asked between waits, so within a poll interval) says so:
    /// a server ends its feeds with it when shutting down. Unreadable events as with `pages`.
    public func followPages(
        after cursor: GlobalCursor = .start, pageSize: Int = 500, pollInterval: Duration = .seconds(1),
        stopWhen: @escaping @Sendable () -> Bool = { false },
        skipping: (@Sendable (UnreadableEvent) -> Void)? = nil
    ) -> EventPages {
        EventPages(
            store: self, start: cursor, pageSize: pageSize,
            following: .init(pollInterval: pollInterval, shouldStop: stopWhen), skipUnreadable: skipping)
    }
}

/// Non-empty pages of the global log after a cursor; see `EventStore.pages` and `followPages`.
///
/// The one place that reads the log forward and waits for it to grow: subscriptions (`copydesk
/// events`, the SSE feed) and async consumers all iterate this.
public struct EventPages: AsyncSequence, Sendable {
    public typealias Element = [RecordedEvent]

    struct Following: Sendable {
        let pollInterval: Duration
        let shouldStop: @Sendable () -> Bool
    }

    let store: EventStore
    let start: GlobalCursor
    let pageSize: Int
    /// nil: end once caught up.
    let following: Following?
    /// nil: an unreadable event ends the iteration with it as the error.
    let skipUnreadable: (@Sendable (UnreadableEvent) -> Void)?

    public func makeAsyncIterator() -> Iterator {
        Iterator(pages: self, cursor: start)
    }

    /// Reads page after page, listening for wake-ups while it follows the log.
    public struct Iterator: AsyncIteratorProtocol {
        let pages: EventPages
        /// Where the last page handed out ends (past any unreadable events it skipped).
        public private(set) var cursor: GlobalCursor
        private var finished = false
        /// A dedicated connection that LISTENs; nil until opened, or after it broke.
        private var listener: Connection?
        /// After a wake-up whose events are not yet readable, how soon to look again.
        private var retryDelay: Duration?

        init(pages: EventPages, cursor: GlobalCursor) {
            self.pages = pages
            self.cursor = cursor
        }

        public mutating func next() async throws -> [RecordedEvent]? {
            guard !finished else { return nil }
            guard let following = pages.following else {
                let page = try await read()
                if page == nil { finished = true }
                return page
            }
            while !Task.isCancelled && !following.shouldStop() {
                do {
                    // Listen before reading, so a commit between the read and the wait still wakes us.
                    if listener == nil { listener = try? await openListener() }
                    if let page = try await read() {
                        retryDelay = nil
                        return page
                    }
                    await waitForNews(following.pollInterval)
                } catch let error as PostgresError where error.isUnavailable {
                    listener = nil
                    try? await Task.sleep(for: following.pollInterval)
                }
            }
            finished = true
            return nil
        }

        /// The next non-empty page, or nil when nothing after the cursor is readable now.
        private mutating func read() async throws -> [RecordedEvent]? {
            while true {
                let page = try await pages.store.readLog(after: cursor, limit: pages.pageSize)
                for unreadable in page.unreadable {
                    guard let skip = pages.skipUnreadable else { throw unreadable }
                    skip(unreadable)
                }
                guard let end = page.end else { return nil }
                cursor = end
                if !page.events.isEmpty { return page.events }
            }
        }

        private func openListener() async throws -> Connection {
            let connection = try await pages.store.pool.openDedicatedConnection()
            try await connection.listen(EventStore.notificationChannel)
            return connection
        }

        /// Sleeps until a notification, a retry after one, or the poll interval, whichever is first.
        private mutating func waitForNews(_ poll: Duration) async {
            if let delay = retryDelay {
                // We were woken but saw nothing: the committed events sit behind an older transaction
                // that is still open. Look again soon, backing off towards the poll interval.
                try? await Task.sleep(for: delay)
                retryDelay = delay * 2 < poll ? delay * 2 : nil
                return
            }
            guard let listener else {
                try? await Task.sleep(for: poll)
                return
            }
            do {
                let notifications = try await listener.waitForNotifications(timeout: poll)
                if !notifications.isEmpty { retryDelay = .milliseconds(5) }
            } catch {
                self.listener = nil
            }
        }
    }
}
