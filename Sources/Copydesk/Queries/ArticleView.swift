import Foundation

/// An article as readers see it: current working text, and the live text when published.
public struct ArticleView: Sendable, Hashable, Codable {
    /// The published revision.
    public struct Live: Sendable, Hashable, Codable {
        public let title: String
        public let lead: String
        public let body: String
        public let section: String
        public let tags: [String]
        public let publishedAt: Date
        public let publishedBy: String
    }

    public let id: UUID
    public let state: String
    public let version: Int64
    public let title: String
    public let lead: String
    public let body: String
    public let section: String
    public let tags: [String]
    public let author: String
    public let createdAt: Date
    public let updatedAt: Date
    public let originalDate: String?
    public let live: Live?
    public let pendingRevision: Bool
    public let scheduledFor: Date?

    enum CodingKeys: String, CodingKey {
        case id, state, version, title, lead, body, section, tags, author, createdAt, updatedAt, originalDate, live,
            pendingRevision, scheduledFor
    }

    /// Writes every key, with `null` for absent values (`"live": null` when not published), so
    /// scripts can rely on the keys being there.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(version, forKey: .version)
        try container.encode(title, forKey: .title)
        try container.encode(lead, forKey: .lead)
        try container.encode(body, forKey: .body)
        try container.encode(section, forKey: .section)
        try container.encode(tags, forKey: .tags)
        try container.encode(author, forKey: .author)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(originalDate, forKey: .originalDate)
        try container.encode(live, forKey: .live)
        try container.encode(pendingRevision, forKey: .pendingRevision)
        try container.encode(scheduledFor, forKey: .scheduledFor)
    }
}

/// One line of `copydesk list`.
public struct ArticleSummary: Sendable, Hashable, Codable {
    public let id: UUID
    public let state: String
    public let version: Int64
    public let title: String
    public let section: String
    public let author: String
    public let updatedAt: Date
    public let isLive: Bool
    public let pendingRevision: Bool
}

/// One event in an article's history: who did what, when, why and from where.
public struct HistoryEntry: Sendable, Hashable, Codable {
    public let version: Int64
    public let position: Int64
    public let type: String
    public let action: String
    public let actor: String
    /// `person`, or `system` when Copydesk acted on its own (the scheduler).
    public let actorKind: String
    public let at: Date
    public let stateBefore: String?
    public let stateAfter: String
    public let changed: [String]
    public let reason: String?
    public let note: String?
    public let origin: String
    public let commandId: UUID
    public let correlationId: String
}

/// Which articles `list` returns.
public struct ArticleFilter: Sendable, Hashable {
    public var state: String?
    public var author: String?
    public var section: String?
    /// Words to find with full-text search (Russian and English).
    public var search: String?
    public var limit: Int
    /// How many matching articles to skip (for paging).
    public var offset: Int
    /// Only articles with a live text (true) or without one (false); nil for both.
    public var live: Bool?

    public init(
        state: String? = nil, author: String? = nil, section: String? = nil, search: String? = nil, limit: Int = 50,
        offset: Int = 0, live: Bool? = nil
    ) {
        self.live = live
        self.state = state
        self.author = author
        self.section = section
        self.search = search
        self.limit = limit
        self.offset = offset
    }
}
