/// An event the store holds but cannot hand out as an event: its metadata lacks a field readers
/// need, or holds one that is not valid (written around `append_events`, by a superuser or a script).
///
/// Readers that can go on without it (the feed) skip it and say so, naming its position and
/// stream; those that cannot (replay) stop with this as the error.
public struct UnreadableEvent: Error, Sendable, Hashable, CustomStringConvertible {
    /// Its position in the global log.
    public let position: Int64
    /// The stream it belongs to.
    public let stream: String
    /// What is wrong with it, in words.
    public let problem: String
    /// The cursor just after it, when it was read from the global log.
    public let cursor: GlobalCursor?

    /// The event at `position` in `stream`, with what is wrong with it.
    public init(position: Int64, stream: String, problem: String, cursor: GlobalCursor? = nil) {
        self.position = position
        self.stream = stream
        self.problem = problem
        self.cursor = cursor
    }

    /// The event's position and stream, and what is wrong with it.
    public var description: String {
        "the event at position \(position) in stream \(stream) cannot be read: \(problem)"
    }
}
