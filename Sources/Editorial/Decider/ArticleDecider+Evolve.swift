import Foundation

extension ArticleDecider {
    /// The state after one more event; total, so replaying a stored stream never fails.
    ///
    /// Events are facts: evolve applies them without re-checking rules. An event that cannot apply (anything but
    /// `drafted` on a missing article) leaves the state as it is.
    public static func evolve(_ state: Article?, _ event: ArticleEvent) -> Article? {
        guard var article = state else {
            guard case .drafted(let drafted) = event else {
                return nil
            }
            return Article(
                id: drafted.id,
                status: .draft,
                version: 1,
                content: drafted.content,
                author: drafted.by,
                createdAt: drafted.at,
                updatedAt: drafted.at,
                originalDate: drafted.originalDate,
                contributors: [drafted.by]
            )
        }
        article.version += 1
        switch event {
        case .drafted:
            break  // decide never drafts an existing article; counting it keeps version equal to the stream version.
        case .edited(let edited):
            article.content = edited.changes.applied(to: article.content)
            article.contributors.insert(edited.by)
            switch article.status {
            case .approved, .scheduled:
                article.status = .inReview  // The approval (and a schedule resting on it) was for the text before.
                article.scheduledFor = nil
            case .published, .unpublished:
                article.pendingRevision = true
            case .draft, .inReview, .changesRequested, .archived:
                break
            }
            article.updatedAt = edited.at
        case .submitted(let submitted):
            article.status = .inReview
            article.updatedAt = submitted.at
        case .changesRequested(let requested):
            article.status = .changesRequested
            article.updatedAt = requested.at
        case .approved(let approved):
            article.status = .approved
            article.updatedAt = approved.at
        case .publicationScheduled(let scheduled):
            article.status = .scheduled
            article.scheduledFor = scheduled.scheduledFor
            article.updatedAt = scheduled.at
        case .publicationUnscheduled(let unscheduled):
            article.status = .approved  // The approval stands; only the time is called off.
            article.scheduledFor = nil
            article.updatedAt = unscheduled.at
        case .published(let published):
            article.status = .published
            article.live = LiveRevision(
                content: published.content, publishedAt: published.at, publishedBy: published.by)
            article.lastLiveContent = published.content
            // Publishing again a withdrawn text leaves a later edit of it pending, with its writers; otherwise the
            // working text is what went live, and the next revision starts with only its author.
            article.pendingRevision = article.content != published.content
            if !article.pendingRevision {
                article.contributors = [article.author]
            }
            article.scheduledFor = nil
            article.updatedAt = published.at
        case .unpublished(let unpublished):
            article.status = .unpublished
            article.live = nil
            article.pendingRevision = false
            article.scheduledFor = nil
            article.updatedAt = unpublished.at
        case .archived(let archived):
            article.status = .archived
            article.updatedAt = archived.at
        case .restored(let restored):
            article.status = restored.status
            article.updatedAt = restored.at
        case .commented:
            break  // Comments are review notes: they change neither content nor status, nor updatedAt.
        }
        return article
    }

    /// The state after all events, starting from no article.
    public static func fold(_ events: [ArticleEvent]) -> Article? {
        events.reduce(initialState, evolve)
    }
}
