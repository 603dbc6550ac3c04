import Postgres

extension EventStore {
    /// Follows the global log from `cursor`: every event, once, in log order, for as long as the
    /// caller keeps iterating.
    ///
    /// The events of `followPages` one by one: it wakes on NOTIFY, polls every `pollInterval`,
    /// rides out an unreachable database, and ends when the task is cancelled or `stopWhen` says so.
    /// An event it cannot read ends it with `UnreadableEvent`, unless `skipping` is given.
    public func subscribe(
        after cursor: GlobalCursor = .start, pageSize: Int = 500, pollInterval: Duration = .seconds(1),
        stopWhen: @escaping @Sendable () -> Bool = { false },
        skipping: (@Sendable (UnreadableEvent) -> Void)? = nil
    ) -> EventSubscription {
        EventSubscription(
            pages: followPages(
                after: cursor, pageSize: pageSize, pollInterval: pollInterval, stopWhen: stopWhen, skipping: skipping))
    }
}

/// The events of the global log after a cursor, as an endless `AsyncSequence`; see `EventStore.subscribe`.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let pages: EventPages

    public func makeAsyncIterator() -> Iterator {
        Iterator(pages: pages.makeAsyncIterator())
    }

    public struct Iterator: AsyncIteratorProtocol {
        private var pages: EventPages.Iterator
        private var page: [RecordedEvent] = []
        private var nextInPage = 0
        /// The last event handed out.
        public private(set) var cursor: GlobalCursor

        init(pages: EventPages.Iterator) {
            self.pages = pages
            self.cursor = pages.cursor
        }

        public mutating func next() async throws -> RecordedEvent? {
            if nextInPage == page.count {
                guard let next = try await pages.next() else { return nil }
                page = next
                nextInPage = 0
            }
            let event = page[nextInPage]
            nextInPage += 1
            cursor = event.cursor
            return event
        }
    }
}

extension EventStore {
    /// The channel writers notify after appending.
    static let notificationChannel = "copydesk_events"

    /// Wakes subscribers; run it after the appending transaction has committed, never inside it.
    ///
    /// A NOTIFY inside a transaction holds a database-wide lock until its commit is flushed, which
    /// would make concurrent appends wait for each other's disk writes (`sql/004`). On its own it
    /// writes nothing durable and is over at once. Subscribers also poll: a lost wake-up only delays.
    package static let wakeUpSubscribers = "SELECT pg_notify('\(notificationChannel)', '')"
}
