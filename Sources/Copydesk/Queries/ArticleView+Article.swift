import Editorial

extension ArticleView {
    /// The view of a folded article state, field for field what `ArticleProjector.save` stores and
    /// `ArticleQueries.article` reads back, so a past state looks exactly like a current one.
    public init(article: Article) {
        let content = article.content
        self.init(
            id: article.id, state: article.status.rawValue, version: article.version, title: content.title,
            lead: content.lead, body: content.body, section: content.section, tags: content.tags,
            author: article.author, createdAt: article.createdAt, updatedAt: article.updatedAt,
            originalDate: article.originalDate, live: article.live.map(Live.init(revision:)),
            pendingRevision: article.pendingRevision, scheduledFor: article.scheduledFor)
    }
}

extension ArticleView.Live {
    /// The live part of the view from the domain's live revision.
    init(revision: LiveRevision) {
        let content = revision.content
        self.init(
            title: content.title, lead: content.lead, body: content.body, section: content.section,
            tags: content.tags, publishedAt: revision.publishedAt, publishedBy: revision.publishedBy)
    }
}
