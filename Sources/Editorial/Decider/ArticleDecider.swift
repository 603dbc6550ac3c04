import Foundation

/// The editorial workflow as a decider: `decide` turns a command into events, `evolve` folds events into state.
///
/// The state of "no article yet" is `nil`, so the initial state needs no placeholder values.
public enum ArticleDecider {
    /// The state before any event: no article.
    public static let initialState: Article? = nil

    /// The events a command produces against the current state, or the reason it is refused.
    ///
    /// Refusals are checked in a fixed order (existence, status, role and ownership, four-eyes, then the command's
    /// own input) so a user learns about the problem they cannot fix themselves first. The input's limits
    /// (`InputLimit`) are measured as sent, before tags are trimmed and deduplicated, so that a client can check them
    /// itself (they are the `maxLength` and `maxItems` of the API's schemas).
    public static func decide(_ command: ArticleCommand, state: Article?) throws(Refusal) -> [ArticleEvent] {
        if let obstacle = obstacle(to: command.action.kind, by: command.actor, on: state) {
            throw refusal(obstacle.reason, obstacle.message, command, state)
        }
        let command = try checkedInput(command, state)
        guard let article = state else {
            return try draft(command)
        }
        return try decide(command, on: article)
    }

    /// Creates an article; only reached when no article exists.
    private static func draft(_ command: ArticleCommand) throws(Refusal) -> [ArticleEvent] {
        guard case .draft(let id, let content, let originalDate) = command.action else {
            throw refusal(.notFound, "no article with this id exists; draft it first", command, nil)
        }
        if content.title.isBlank {
            throw refusal(.invalidContent, "there is no article yet; the title must not be blank", command, nil)
        }
        if let originalDate, CalendarDay(iso: originalDate) == nil {
            throw refusal(
                .invalidContent,
                "there is no article yet; the original date \"\(originalDate)\" is not a real yyyy-mm-dd date",
                command, nil
            )
        }
        let drafted = ArticleDrafted(
            id: id, content: content, originalDate: originalDate, by: command.actor.name, at: command.at
        )
        return [.drafted(drafted)]
    }

    /// Decides a command against an existing article that passed the status, role and four-eyes checks.
    private static func decide(_ command: ArticleCommand, on article: Article) throws(Refusal) -> [ArticleEvent] {
        let by = command.actor.name
        let at = command.at
        func refuse(_ reason: Refusal.Reason, _ detail: String) -> Refusal {
            refusal(reason, "\(describe(article)); \(detail)", command, article)
        }
        switch command.action {
        case .draft:
            throw refuse(.alreadyExists, "an article with this id already exists")
        case .edit(let changes, let note):
            let effective = changes.droppingUnchanged(in: article.content)
            if effective.isEmpty {
                throw refuse(.nothingToChange, "the edit leaves the content exactly as it is")
            }
            if effective.applied(to: article.content).title.isBlank {
                throw refuse(.invalidContent, "the title must not be blank")
            }
            return [.edited(edit(article, effective, note: note, revertedTo: nil, by: by, at: at))]
        case .revert(let version, let content, let note):
            guard (1...article.version).contains(version) else {
                throw refuse(
                    .invalidContent, "there is no version \(version); its versions are 1 to \(article.version)")
            }
            guard let content else {
                throw refuse(.invalidContent, "the text of version \(version) was not looked up")
            }
            let changes = ContentChanges(from: article.content, to: content)
            if changes.isEmpty {
                throw refuse(.nothingToChange, "version \(version) has the same text as the article now")
            }
            return [.edited(edit(article, changes, note: note, revertedTo: version, by: by, at: at))]
        case .submit:
            return [.submitted(ArticleSubmitted(by: by, at: at))]
        case .requestChanges(let reason):
            if reason.isBlank {
                throw refuse(.reasonRequired, "say what should change: the reason must not be blank")
            }
            return [.changesRequested(ChangesRequested(reason: reason, by: by, at: at))]
        case .approve(let note):
            return [.approved(ArticleApproved(note: note, by: by, at: at))]
        case .publish(let when):
            if let when, when <= at.addingTimeInterval(-nowTolerance) {
                throw refuse(
                    .notInFuture,
                    "the time given, \(EventTimestamp.string(from: when)), is not in the future "
                        + "(it is now \(EventTimestamp.string(from: at))); give a later time, or none to publish now")
            }
            let scheduling = when.map { $0 > at } ?? false
            if article.status == .unpublished {
                // Only reached with a withdrawn text to put back (see statusRequirement).
                if scheduling {
                    throw refuse(
                        .invalidContent, "a withdrawn text is published again at once; publish it without a time")
                }
                let withdrawn = article.lastLiveContent ?? article.content
                return [.published(ArticlePublished(content: withdrawn, by: by, at: at))]
            }
            if let when, scheduling {
                return [.publicationScheduled(PublicationScheduled(scheduledFor: when, by: by, at: at))]
            }
            return [.published(ArticlePublished(content: article.content, by: by, at: at))]
        case .unschedule(let reason):
            // Only reached when scheduled, which always has a time; the event records when it was due.
            let due = article.scheduledFor ?? at
            return [.publicationUnscheduled(PublicationUnscheduled(scheduledFor: due, reason: reason, by: by, at: at))]
        case .publishDue:
            // A scheduled article always has a time; without one it is simply due now.
            let due = article.scheduledFor ?? at
            if at < due {
                throw refuse(
                    .notDueYet,
                    "it is due at \(EventTimestamp.string(from: due)), not yet at \(EventTimestamp.string(from: at))"
                )
            }
            let published = ArticlePublished(
                content: article.content,
                scheduledFor: article.scheduledFor,
                latenessSeconds: article.scheduledFor.map { at.timeIntervalSince($0) },
                by: by,
                at: at
            )
            return [.published(published)]
        case .unpublish(let reason):
            if reason.isBlank {
                throw refuse(.reasonRequired, "say why it is withdrawn: the reason must not be blank")
            }
            let unpublished = ArticleUnpublished(
                reason: reason, wasScheduled: article.status == .scheduled, by: by, at: at
            )
            return [.unpublished(unpublished)]
        case .archive:
            return [.archived(ArticleArchived(by: by, at: at))]
        case .restore(let reason):
            let status: ArticleStatus = article.lastLiveContent == nil ? .draft : .unpublished
            return [.restored(ArticleRestored(status: status, reason: reason, by: by, at: at))]
        case .comment(let text):
            if text.isBlank {
                throw refuse(.reasonRequired, "a comment needs text")
            }
            return [.commented(CommentAdded(text: text, by: by, at: at))]
        }
    }

    /// How far in the past a publication time may be and still mean "now": a client's clock and the time it took to
    /// send the command, not a missed deadline.
    public static let nowTolerance: TimeInterval = 2

    /// The edit event of `changes` (already reduced to what really changes) on `article`.
    private static func edit(
        _ article: Article, _ changes: ContentChanges, note: String?, revertedTo: Int64?, by: String, at: Date
    ) -> ArticleEdited {
        ArticleEdited(
            changes: changes,
            note: note,
            sentBackToReview: article.status == .approved || article.status == .scheduled,
            startedPendingRevision: (article.status == .published || article.status == .unpublished)
                && !article.pendingRevision,
            cancelledSchedule: article.status == .scheduled ? article.scheduledFor : nil,
            revertedTo: revertedTo,
            by: by,
            at: at
        )
    }

    /// Builds a refusal that also lists what the actor could do instead.
    static func refusal(
        _ reason: Refusal.Reason,
        _ message: String,
        _ command: ArticleCommand,
        _ article: Article?
    ) -> Refusal {
        Refusal(
            reason: reason,
            command: command.action.kind,
            status: article?.status,
            allowed: allowedCommands(for: command.actor, on: article),
            actor: command.actor,
            message: message
        )
    }
}
