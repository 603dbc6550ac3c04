import Foundation

extension ArticleDecider {
    /// The commands `actor` may run on `article` now, judged on status, role, ownership and four-eyes.
    ///
    /// Arguments are not known here, so a listed command can still be refused for its input (a blank reason, an edit
    /// that changes nothing, a scheduled time not yet reached).
    public static func allowedCommands(for actor: Actor, on article: Article?) -> [CommandKind] {
        CommandKind.allCases.filter { obstacle(to: $0, by: actor, on: article) == nil }
    }

    /// A rule that stops a command regardless of its arguments, with the message to show.
    struct Obstacle {
        var reason: Refusal.Reason
        var message: String
    }

    /// The first rule, in refusal order, that stops `actor` from running `kind` on `article`.
    static func obstacle(to kind: CommandKind, by actor: Actor, on article: Article?) -> Obstacle? {
        guard let article else {
            if case .draft = kind {
                return nil  // Every role may draft, and there is nothing else to check yet.
            }
            return Obstacle(reason: .notFound, message: "no article with this id exists; draft it first")
        }
        let state = describe(article)
        if case .draft = kind {
            return Obstacle(reason: .alreadyExists, message: "\(state); an article with this id already exists")
        }
        if let requirement = statusRequirement(for: kind, on: article) {
            return Obstacle(reason: .wrongState, message: "\(state); \(requirement)")
        }
        if kind.isInternal, actor.kind != .system {
            return Obstacle(
                reason: .roleTooLow,
                message: "\(state); \(kind.gerund) is Copydesk's own step (the scheduler's), not a person's")
        }
        if actor.role < kind.minimumRole {
            return Obstacle(
                reason: .roleTooLow,
                message: "\(state); \(kind.gerund) needs the \(kind.minimumRole.rawValue) role or higher, "
                    + "and \(actor.name.singleLine) is \(actor.role.rawValue)"
            )
        }
        if let obstacle = authorRestriction(for: kind, by: actor, on: article, state: state) {
            return obstacle
        }
        if case .approve = kind, article.contributors.contains(actor.name) {
            return Obstacle(
                reason: .fourEyes,
                message: "\(state); \(actor.name.singleLine) wrote or edited this revision, "
                    + "so another editor must approve it (four-eyes)"
            )
        }
        return nil
    }

    /// What the status must be for `kind`, or nil when the article's status allows it.
    private static func statusRequirement(for kind: CommandKind, on article: Article) -> String? {
        let status = article.status
        switch kind {
        case .draft:
            return "an article with this id already exists"
        case .edit, .revert:
            switch status {
            case .draft, .changesRequested, .inReview, .approved, .scheduled, .published, .unpublished: return nil
            case .archived: return "\(kind.gerund) needs an article that is not archived; restore it first"
            }
        case .submit:
            switch status {
            case .draft, .changesRequested: return nil
            case .published where article.pendingRevision, .unpublished where article.pendingRevision: return nil
            case .published, .unpublished:
                return "there is no pending revision to submit; edit the text first"
            case .inReview, .approved, .scheduled, .archived:
                return "submitting needs a draft, changes_requested, or a published or unpublished article with a "
                    + "pending revision"
            }
        case .requestChanges:
            return status == .inReview ? nil : "requesting changes needs an in_review article"
        case .approve:
            return status == .inReview ? nil : "approving needs an in_review article"
        case .publish:
            switch status {
            case .approved: return nil
            case .unpublished where article.lastLiveContent != nil: return nil
            case .unpublished:
                return "publishing an unpublished article puts back the text that was live, and this one never was; "
                    + "edit and submit it for review"
            case .scheduled:
                let due = article.scheduledFor.map { " for \(EventTimestamp.string(from: $0))" } ?? ""
                return "publishing needs an approved article, and this one is already scheduled\(due); "
                    + "unschedule it first"
            case .draft, .inReview, .changesRequested, .published, .archived:
                return "publishing needs an approved or unpublished article"
            }
        case .unschedule:
            return status == .scheduled ? nil : "unscheduling needs a scheduled article"
        case .publishDue:
            return status == .scheduled ? nil : "publishing a due article needs a scheduled article"
        case .unpublish:
            // Whatever state the next revision is in, the live text must stay withdrawable (corrections, legal).
            if status == .published || article.live != nil {
                return nil
            }
            if status == .scheduled {
                return "nothing is live yet; to cancel the scheduled publication, unschedule it"
            }
            return "unpublishing needs a live article, and nothing of this one is live"
        case .archive:
            switch status {
            case .draft, .unpublished: return nil
            case .changesRequested where article.live != nil:
                return "an earlier revision is still live; unpublish it before archiving"
            case .changesRequested: return nil
            case .inReview, .approved, .scheduled, .published, .archived:
                return "archiving needs a draft, changes_requested or unpublished article"
            }
        case .restore:
            return status == .archived ? nil : "restoring needs an archived article"
        case .comment:
            return status == .archived ? "archived articles take no more comments; restore it first" : nil
        }
    }

    /// The limits on authors, who may only touch their own articles and may not edit one under review.
    private static func authorRestriction(
        for kind: CommandKind,
        by actor: Actor,
        on article: Article,
        state: String
    ) -> Obstacle? {
        guard actor.role < .editor else {
            return nil
        }
        switch kind {
        case .edit, .revert, .submit:
            if article.author != actor.name {
                return Obstacle(
                    reason: .notOwnArticle,
                    message: "\(state); authors may only \(kind.rawValue) their own articles, "
                        + "and this one is \(article.author.singleLine)'s"
                )
            }
            if kind != .submit, article.status == .inReview {
                return Obstacle(
                    reason: .roleTooLow,
                    message: "\(state); while it is in review only an editor or higher may edit it"
                )
            }
            return nil
        case .draft, .requestChanges, .approve, .publish, .unschedule, .publishDue, .unpublish, .archive, .restore,
            .comment:
            return nil
        }
    }

    /// The article's state in words, e.g. "the article is published with a pending revision".
    static func describe(_ article: Article) -> String {
        let base = "the article is \(article.status.rawValue)"
        switch article.status {
        case .published, .unpublished:
            return article.pendingRevision ? base + " with a pending revision" : base
        case .inReview, .changesRequested, .approved, .scheduled:
            return article.live != nil ? base + " (an earlier revision is live)" : base
        case .draft, .archived:
            return base
        }
    }
}
