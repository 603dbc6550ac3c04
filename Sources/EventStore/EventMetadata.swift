import struct Foundation.UUID
import Postgres

/// Where a command came from.
public enum Origin: String, Codable, Sendable, CaseIterable {
    case cli
    case http
    case scheduler
}

/// Whether a person or the system acted; mirrors `Actor.Kind` in the domain, which the store does not know.
public enum ActorKind: String, Codable, Sendable, CaseIterable {
    case person
    case system
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
    /// Whether the actor was a person or the system (`actorKind`, optional in stored metadata: see
    /// `legacyKind`).
    public var actorKind: ActorKind

    public init(
        actor: String, commandId: UUID, correlationId: String? = nil, causationId: String? = nil, origin: Origin,
        actorKind: ActorKind = .person
    ) {
        self.actor = actor
        self.commandId = commandId
        self.correlationId = correlationId ?? commandId.uuidString.lowercased()
        self.causationId = causationId ?? commandId.uuidString.lowercased()
        self.origin = origin
        self.actorKind = actorKind
    }

    /// The kind of actor of an event stored before metadata had `actorKind`: only the scheduler
    /// acted for the system then, and it alone wrote with origin `scheduler`.
    public static func legacyKind(actor: String, origin: Origin) -> ActorKind {
        actor == "scheduler" && origin == .scheduler ? .system : .person
    }

    enum CodingKeys: String, CodingKey {
        case actor, commandId, correlationId, causationId, origin, actorKind
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        actor = try container.decode(String.self, forKey: .actor)
        commandId = try container.decode(UUID.self, forKey: .commandId)
        correlationId = try container.decode(String.self, forKey: .correlationId)
        causationId = try container.decode(String.self, forKey: .causationId)
        origin = try container.decode(Origin.self, forKey: .origin)
        actorKind = try container.decodeIfPresent(ActorKind.self, forKey: .actorKind)
            ?? Self.legacyKind(actor: actor, origin: origin)
    }
}

extension EventMetadata {
    /// The metadata as one compact JSON object, written by hand: it goes with every append and
    /// every line of the feed.
    public var json: String {
        "{\"actor\":\(JSONText.quoted(actor)),\"commandId\":\"\(commandId.postgresText)\","
            + "\"correlationId\":\(JSONText.quoted(correlationId)),\"causationId\":\(JSONText.quoted(causationId)),"
            + "\"origin\":\"\(origin.rawValue)\",\"actorKind\":\"\(actorKind.rawValue)\"}"
    }
}
