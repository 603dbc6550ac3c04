import Postgres

extension EventStore {
    /// Follows the global log from `cursor`: every event, once, in log order, for as long as the
    /// caller keeps iterating.
    ///
    /// Wakes on `NOTIFY copydesk_events` and also polls every `pollInterval`, so a lost
    /// notification delays an event by at most that long (DESIGN.md invariant 7). Reads in pages,
    /// so a subscriber far behind catches up without holding the whole log in memory. While the
    /// database is unreachable it waits a poll interval and tries again. Ends when the task is
    /// cancelled.
    ///
    /// `stopWhen` is asked between waits (so within a poll interval): a server ends its feeds
    /// with it when shutting down.
    ///
    /// An event it cannot read ends the iteration with `UnreadableEvent`, unless `skipping` is
    /// given: it is then told about the event and the iteration goes on after it.
    public func subscribe(
        after cursor: GlobalCursor = .start, pageSize: Int = 500, pollInterval: Duration = .seconds(1),
        stopWhen: @escaping @Sendable () -> Bool = { false },
        skipping: (@Sendable (UnreadableEvent) -> Void)? = nil
    ) -> EventSubscription {
        EventSubscription(
            store: self, start: cursor, pageSize: pageSize, pollInterval: pollInterval, shouldStop: stopWhen,
            skipUnreadable: skipping)
    }
}

/// The events of the global log after a cursor, as an endless `AsyncSequence`; see `EventStore.subscribe`.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let store: EventStore
    let start: GlobalCursor
    let pageSize: Int
    let pollInterval: Duration
    let shouldStop: @Sendable () -> Bool
    let skipUnreadable: (@Sendable (UnreadableEvent) -> Void)?

    public func makeAsyncIterator() -> Iterator {
        Iterator(subscription: self, cursor: start)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let subscription: EventSubscription
        /// The last event handed out.
        public private(set) var cursor: GlobalCursor
        private var page: [RecordedEvent] = []
        private var nextInPage = 0
        /// Where the page read last ends, unreadable events included: the cursor once it is handed out.
        private var pageEnd: GlobalCursor?
        /// A dedicated connection that LISTENs; nil until opened, or after it broke.
        private var listener: Connection?
        /// After a wake-up whose events are not yet readable, how soon to look again.
        private var retryDelay: Duration?

        init(subscription: EventSubscription, cursor: GlobalCursor) {
            self.subscription = subscription
            self.cursor = cursor
        }

        public mutating func next() async throws -> RecordedEvent? {
            while !Task.isCancelled && !subscription.shouldStop() {
                if nextInPage < page.count {
                    let event = page[nextInPage]
                    nextInPage += 1
                    cursor = event.cursor
                    return event
                }
                if let end = pageEnd {
                    // Past unreadable events the page ended with, so they are not read again.
                    cursor = Swift.max(cursor, end)
                    pageEnd = nil
                }
                do {
                    // Listen before reading, so a commit between the read and the wait still wakes us.
                    if listener == nil { listener = try? await openListener() }
                    let read = try await subscription.store.readLog(after: cursor, limit: subscription.pageSize)
                    for unreadable in read.unreadable {
                        guard let skip = subscription.skipUnreadable else { throw unreadable }
                        skip(unreadable)
                    }
                    page = read.events
                    pageEnd = read.end
                    nextInPage = 0
                    if read.end == nil { try await waitForNews() } else { retryDelay = nil }
                } catch let error as PostgresError where error.isUnavailable {
                    listener = nil
                    try? await Task.sleep(for: subscription.pollInterval)
                }
            }
            return nil
        }

        private func openListener() async throws -> Connection {
            let connection = try await subscription.store.pool.openDedicatedConnection()
            try await connection.listen(EventStore.notificationChannel)
            return connection
        }

        /// Sleeps until a notification, a retry after one, or the poll interval, whichever is first.
        private mutating func waitForNews() async throws {
            let poll = subscription.pollInterval
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

extension EventStore {
    /// The channel writers notify after appending.
    public static let notificationChannel = "copydesk_events"

    /// Wakes subscribers; run it after the appending transaction has committed, never inside it.
    ///
    /// A NOTIFY inside a transaction holds a database-wide lock until its commit is flushed, which
    /// would make concurrent appends wait for each other's disk writes (`sql/004`). On its own it
    /// writes nothing durable and is over at once. Subscribers also poll: a lost wake-up only delays.
    public static let wakeUpSubscribers = "SELECT pg_notify('\(notificationChannel)', '')"
}
