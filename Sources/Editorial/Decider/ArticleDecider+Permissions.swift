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
        case .edit:
            switch status {
            case .draft, .changesRequested, .inReview, .approved, .published: return nil
            case .scheduled, .unpublished, .archived:
                return "editing needs a draft, changes_requested, in_review, approved or published article"
            }
        case .submit:
            switch status {
            case .draft, .changesRequested: return nil
            case .published where article.pendingRevision: return nil
            case .published: return "there is no pending revision to submit; edit the live text first"
            case .inReview, .approved, .scheduled, .unpublished, .archived:
                return "submitting needs a draft, changes_requested, or published article with a pending revision"
            }
        case .requestChanges:
            return status == .inReview ? nil : "requesting changes needs an in_review article"
        case .approve:
            return status == .inReview ? nil : "approving needs an in_review article"
        case .publish:
            switch status {
            case .approved: return nil
            case .scheduled:
                let due = article.scheduledFor.map { " for \(EventTimestamp.string(from: $0))" } ?? ""
                return "publishing needs an approved article, and this one is already scheduled\(due)"
            case .draft, .inReview, .changesRequested, .published, .unpublished, .archived:
                return "publishing needs an approved article"
            }
        case .publishDue:
            return status == .scheduled ? nil : "publishing a due article needs a scheduled article"
        case .unpublish:
            // The live text of an article whose revision is in review must stay withdrawable (corrections, legal).
            switch status {
            case .published, .scheduled: return nil
            case .inReview, .changesRequested, .approved:
                return article.live != nil ? nil : "unpublishing needs a published or scheduled article"
            case .draft, .unpublished, .archived:
                return "unpublishing needs a published or scheduled article"
            }
        case .archive:
            switch status {
            case .draft, .unpublished: return nil
            case .changesRequested where article.live != nil:
                return "an earlier revision is still live; unpublish it before archiving"
            case .changesRequested: return nil
            case .inReview, .approved, .scheduled, .published, .archived:
                return "archiving needs a draft, changes_requested or unpublished article"
            }
        case .comment:
            return status == .archived ? "archived articles take no more comments" : nil
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
        case .edit, .submit:
            if article.author != actor.name {
                return Obstacle(
                    reason: .notOwnArticle,
                    message: "\(state); authors may only \(kind.rawValue) their own articles, "
                        + "and this one is \(article.author.singleLine)'s"
                )
            }
            if case .edit = kind, article.status == .inReview {
                return Obstacle(
                    reason: .roleTooLow,
                    message: "\(state); while it is in review only an editor or higher may edit it"
                )
            }
            return nil
        case .draft, .requestChanges, .approve, .publish, .publishDue, .unpublish, .archive, .comment:
            return nil
        }
    }

    /// The article's state in words, e.g. "the article is published with a pending revision".
    static func describe(_ article: Article) -> String {
        let base = "the article is \(article.status.rawValue)"
        switch article.status {
        case .published:
            return article.pendingRevision ? base + " with a pending revision" : base
        case .inReview, .changesRequested, .approved, .scheduled:
            return article.live != nil ? base + " (an earlier revision is live)" : base
        case .draft, .unpublished, .archived:
            return base
        }
    }
}
