/// A page of the global log read with `EventStore.readLog`.
public struct LogPage: Sendable {
    /// The events that could be read, in log order.
    public let events: [RecordedEvent]
    /// The events that could not (see `UnreadableEvent`), in log order.
    public let unreadable: [UnreadableEvent]
    /// The cursor after the last entry of the page, readable or not: where the next page starts.
    /// Nil when the page is empty.
    public let end: GlobalCursor?
}
