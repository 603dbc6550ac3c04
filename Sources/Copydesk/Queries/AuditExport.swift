import Foundation
import Postgres
import Timestamps

/// Which events `ArticleQueries.audit` exports. Every criterion left nil matches everything.
public struct AuditFilter: Sendable, Hashable {
    /// Only events by this user.
    public var actor: String?
    /// Only events of this article.
    public var articleId: UUID?
    /// Only events about this user's account.
    public var user: String?
    /// Only events whose type (`ArticlePublished`) or action (`publish`) is exactly this.
    public var type: String?
    /// Only events at or after this instant.
    public var since: Date?
    /// Only events strictly before this instant.
    public var until: Date?
    /// Only events after this global position (to continue a page).
    public var afterPosition: Int64?
    /// At most this many events.
    public var limit: Int?

    public init(
        actor: String? = nil, articleId: UUID? = nil, user: String? = nil, type: String? = nil, since: Date? = nil,
        until: Date? = nil, afterPosition: Int64? = nil, limit: Int? = nil
    ) {
        self.actor = actor
        self.articleId = articleId
        self.user = user
        self.type = type
        self.since = since
        self.until = until
        self.afterPosition = afterPosition
        self.limit = limit
    }
}

/// One row of the audit export: who did what to which article or user account, when, why and from where.
public struct AuditRecord: Codable, Sendable, Hashable {
    /// The event's position in the global log; the export is ordered by it.
    public let position: Int64
    public let at: Date
    public let actor: String
    /// `person`, or `system` when Copydesk acted on its own (the scheduler).
    public let actorKind: String
    /// The article the event is about; nil for an event about a user (`user`).
    public let articleId: UUID?
    /// The user whose account the event is about (added, role changed, disabled...); nil for an article's event.
    public let user: String?
    /// The article's (or user's) version after this event.
    public let version: Int64
    /// The workflow step (`publish`, `request-changes`, ...).
    public let action: String
    /// The event's type (`ArticlePublished`, ...).
    public let eventType: String
    /// The article's state before the event; nil for the event that created it.
    public let stateBefore: String?
    public let stateAfter: String
    /// The fields the event changed (`title`, `body`, `live`, ...).
    public let changed: [String]
    public let reason: String?
    public let note: String?
    /// Where the command came from (`cli`, `http`, `scheduler`).
    public let origin: String
    public let correlationId: String
    public let commandId: UUID

    public init(
        position: Int64, at: Date, actor: String, actorKind: String, articleId: UUID?, user: String?, version: Int64,
        action: String,
        eventType: String,
        stateBefore: String?, stateAfter: String, changed: [String], reason: String?, note: String?, origin: String,
        correlationId: String, commandId: UUID
    ) {
        self.position = position
        self.at = at
        self.actor = actor
        self.actorKind = actorKind
        self.articleId = articleId
        self.user = user
        self.version = version
        self.action = action
        self.eventType = eventType
        self.stateBefore = stateBefore
        self.stateAfter = stateAfter
        self.changed = changed
        self.reason = reason
        self.note = note
        self.origin = origin
        self.correlationId = correlationId
        self.commandId = commandId
    }

    enum CodingKeys: String, CodingKey {
        case position, at, actor, actorKind, articleId, user, version, action, eventType, stateBefore, stateAfter, changed,
            reason, note,
            origin, correlationId, commandId
    }

    /// Writes every key, `null` for absent values, so every JSON line has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(position, forKey: .position)
        try container.encode(at, forKey: .at)
        try container.encode(actor, forKey: .actor)
        try container.encode(actorKind, forKey: .actorKind)
        try container.encode(articleId, forKey: .articleId)
        try container.encode(user, forKey: .user)
        try container.encode(version, forKey: .version)
        try container.encode(action, forKey: .action)
        try container.encode(eventType, forKey: .eventType)
        try container.encode(stateBefore, forKey: .stateBefore)
        try container.encode(stateAfter, forKey: .stateAfter)
        try container.encode(changed, forKey: .changed)
        try container.encode(reason, forKey: .reason)
        try container.encode(note, forKey: .note)
        try container.encode(origin, forKey: .origin)
        try container.encode(correlationId, forKey: .correlationId)
        try container.encode(commandId, forKey: .commandId)
    }
}

extension ArticleQueries {
    /// Criteria are parameters; `$n IS NULL` folds away because libpq's unnamed statements are
    /// planned with the actual values, so the (actor, at) and (at) indexes still serve.
    static let auditQuery = """
        SELECT global_position, article_id, user_name, version, event_type, action, actor, actor_kind, at, status_before,
               status_after, changed, reason, note, origin, command_id, correlation_id
        FROM audit_log
        WHERE ($1::text IS NULL OR actor = $1)
          AND ($2::uuid IS NULL OR article_id = $2)
          AND ($8::text IS NULL OR user_name = $8)
          AND ($3::text IS NULL OR event_type = $3 OR action = $3)
          AND ($4::timestamptz IS NULL OR at >= $4)
          AND ($5::timestamptz IS NULL OR at < $5)
          AND ($6::bigint IS NULL OR global_position > $6)
        ORDER BY global_position
        LIMIT $7::int
        """

    static func auditRecord(_ row: Row) throws -> AuditRecord {
        AuditRecord(
            position: try row.decode("global_position"), at: try row.decode("at"), actor: try row.decode("actor"),
            actorKind: try row.decode("actor_kind"), articleId: try row.decodeIfPresent("article_id"), user: try row.decodeIfPresent("user_name"),
            version: try row.decode("version"),
            action: try row.decode("action"), eventType: try row.decode("event_type"),
            stateBefore: try row.decodeIfPresent("status_before"), stateAfter: try row.decode("status_after"),
            changed: try row.decode("changed"), reason: try row.decodeIfPresent("reason"),
            note: try row.decodeIfPresent("note"), origin: try row.decode("origin"),
            correlationId: try row.decode("correlation_id"), commandId: try row.decode("command_id"))
    }
}

extension AuditRecord {
    /// The CSV header row (RFC 4180), without a line end; column names match `csvRecord`.
    /// `actor_kind` and then `user` came last, so existing readers of the columns before them are undisturbed
    /// (`article_id` is empty on a row about a user).
    public static let csvHeader = [
        "position", "time", "actor", "article_id", "version", "action", "event_type", "state_before", "state_after",
        "changed", "reason", "note", "origin", "correlation_id", "command_id", "actor_kind", "user",
    ].joined(separator: ",")

    /// The record as one RFC 4180 CSV record, without a line end.
    ///
    /// Fields holding a comma, a quote, CR or LF are quoted with inner quotes doubled, so a note
    /// spanning several lines stays one record. The time is ISO 8601 UTC with milliseconds;
    /// changed fields are separated by `;`; an absent value is an empty field.
    public var csvRecord: String {
        [
            String(position), Timestamp.string(at), actor, articleId?.postgresText ?? "", String(version), action,
            eventType, stateBefore ?? "", stateAfter, changed.joined(separator: ";"), reason ?? "", note ?? "", origin,
            correlationId, commandId.postgresText, actorKind, user ?? "",
        ].map(Self.csvField).joined(separator: ",")
    }

    static func csvField(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return value }
        // By scalar, not by Character: a quote followed by a combining mark is one Character.
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in value.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }
}
