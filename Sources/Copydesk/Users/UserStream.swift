import Editorial
import EventStore

/// How users map onto event streams: one stream per user, named `user-<name>`.
public enum UserStream {
    public static func name(for user: String) -> String { "user-\(user)" }

    /// The user name of a stream name, or nil for a stream that is not a user's.
    public static func userName(of stream: String) -> String? {
        guard stream.hasPrefix("user-") else { return nil }
        return String(stream.dropFirst("user-".count))
    }

    /// Domain events as events to append.
    static func newEvents(_ events: [UserEvent]) throws -> [NewEvent] {
        try events.map { event in
            let encoded = try event.encoded()
            return NewEvent(type: encoded.type, schemaVersion: UserEvent.schemaVersion, data: encoded.data)
        }
    }
}
