import struct Foundation.UUID
import Postgres

/// Where a command came from.
public enum Origin: String, Codable, Sendable, CaseIterable {
    case cli
    case http
    case scheduler
}

/// Who caused an event and in answer to what: stored with every event (DESIGN.md invariant 5).
public struct EventMetadata: Codable, Sendable, Hashable {
    /// The acting user's name.
    public var actor: String
    /// The command that produced the event; retrying the same id writes nothing new.
    public var commandId: UUID
    /// Ties together everything done for one request or session (an HTTP request id, say).
    public var correlationId: String
    /// The message that directly caused this one (the command, unless a consumer reacted to an event).
    public var causationId: String
    /// Where the command came from.
    public var origin: Origin

    public init(actor: String, commandId: UUID, correlationId: String? = nil, causationId: String? = nil, origin: Origin) {
        self.actor = actor
        self.commandId = commandId
        self.correlationId = correlationId ?? commandId.uuidString.lowercased()
        self.causationId = causationId ?? commandId.uuidString.lowercased()
        self.origin = origin
    }
}

extension EventMetadata {
    /// The metadata as one compact JSON object, written by hand: it goes with every append and
    /// every line of the feed.
    public var json: String {
        "{\"actor\":\(JSONText.quoted(actor)),\"commandId\":\"\(commandId.postgresText)\","
            + "\"correlationId\":\(JSONText.quoted(correlationId)),\"causationId\":\(JSONText.quoted(causationId)),"
            + "\"origin\":\"\(origin.rawValue)\"}"
    }
}
