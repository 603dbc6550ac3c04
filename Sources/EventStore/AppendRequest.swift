/// Events to append to one stream for one command.
public struct AppendRequest: Sendable, Hashable {
    public var stream: String
    public var expectedVersion: ExpectedVersion
    public var events: [NewEvent]
    /// Shared by every event of the command; its `commandId` makes the append idempotent.
    public var metadata: EventMetadata

    public init(stream: String, expectedVersion: ExpectedVersion, events: [NewEvent], metadata: EventMetadata) {
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.events = events
        self.metadata = metadata
    }
}

/// What an append wrote, or (for a repeated command id) what the first attempt wrote.
public struct AppendResult: Sendable, Hashable {
    public let stream: String
    public let firstVersion: Int64
    /// The stream's version after the append: the expected version for the next one.
    public let lastVersion: Int64
    public let firstPosition: Int64
    public let lastPosition: Int64
    /// The global position of each appended event, in version order (empty for a duplicate).
    public let positions: [Int64]
    /// True when this command id had been handled before and nothing new was written.
    public let wasDuplicate: Bool
}
