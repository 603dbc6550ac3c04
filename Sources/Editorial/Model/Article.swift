import Foundation

/// The decider's state of one article: everything the workflow rules need, folded from its events.
public struct Article: Sendable, Hashable {
    /// The article's id, which is also its stream id.
    public var id: UUID
    /// Where the article stands in the workflow.
    public var status: ArticleStatus
    /// How many events have been folded into this state; equals the stream version.
    public var version: Int64
    /// The working text: what editors see and what the next publication puts live.
    public var content: ArticleContent
    /// The name of the user who drafted the article; authors may only touch their own.
    public var author: String
    /// When the article was drafted.
    public var createdAt: Date
    /// When content or status last changed; comments leave it alone.
    public var updatedAt: Date
    /// The article's original publication date (ISO `yyyy-mm-dd`) when it was imported.
    public var originalDate: String?
    /// The text readers currently see, or nil when nothing is live.
    public var live: LiveRevision?
    /// True when the working text was edited after going live (or after being withdrawn) and that edit is not live.
    public var pendingRevision: Bool
    /// Who wrote or edited the revision under review (the author always); none of them may approve it.
    public var contributors: Set<String>
    /// When a scheduled publication is due, while the article is scheduled.
    public var scheduledFor: Date?
    /// The text that went live most recently, kept after it is withdrawn: a publisher may put it live again (a
    /// lifted legal hold), and an archived article that has one was live once.
    public var lastLiveContent: ArticleContent?

    /// Creates an article state; normally only `ArticleDecider.evolve` does this.
    public init(
        id: UUID,
        status: ArticleStatus,
        version: Int64,
        content: ArticleContent,
        author: String,
        createdAt: Date,
        updatedAt: Date,
        originalDate: String? = nil,
        live: LiveRevision? = nil,
        pendingRevision: Bool = false,
        contributors: Set<String>,
        scheduledFor: Date? = nil,
        lastLiveContent: ArticleContent? = nil
    ) {
        self.id = id
        self.status = status
        self.version = version
        self.content = content
        self.author = author
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.originalDate = originalDate
        self.live = live
        self.pendingRevision = pendingRevision
        self.contributors = contributors
        self.scheduledFor = scheduledFor
        self.lastLiveContent = lastLiveContent
    }

    /// True when some revision of the article is in front of readers.
    public var isLive: Bool {
        live != nil
    }
}
