import Foundation

/// Something that happened to an article; the only thing ever stored, and the source of every state.
public enum ArticleEvent: Sendable, Hashable {
    /// The article was created.
    case drafted(ArticleDrafted)
    /// The working text changed.
    case edited(ArticleEdited)
    /// The working text was offered for review.
    case submitted(ArticleSubmitted)
    /// An editor sent the article back.
    case changesRequested(ChangesRequested)
    /// An editor accepted the article.
    case approved(ArticleApproved)
    /// A publisher set a time for publication.
    case publicationScheduled(PublicationScheduled)
    /// A publisher cancelled a scheduled publication.
    case publicationUnscheduled(PublicationUnscheduled)
    /// The working text went live.
    case published(ArticlePublished)
    /// The article left the live set.
    case unpublished(ArticleUnpublished)
    /// The article was closed for good.
    case archived(ArticleArchived)
    /// An archived article was brought back.
    case restored(ArticleRestored)
    /// A review note was added.
    case commented(CommentAdded)

    /// The version of the payload layout written by `encoded()`; bump it (and teach `decode` the old one) on change.
    public static let schemaVersion = 1

    /// Every stored type name, in workflow order.
    public static let typeNames: [String] = [
        "ArticleDrafted", "ArticleEdited", "ArticleSubmitted", "ChangesRequested", "ArticleApproved",
        "PublicationScheduled", "PublicationUnscheduled", "ArticlePublished", "ArticleUnpublished", "ArticleArchived",
        "ArticleRestored", "CommentAdded",
    ]

    /// The name stored in the event's `type` column.
    public var typeName: String {
        switch self {
        case .drafted: "ArticleDrafted"
        case .edited: "ArticleEdited"
        case .submitted: "ArticleSubmitted"
        case .changesRequested: "ChangesRequested"
        case .approved: "ArticleApproved"
        case .publicationScheduled: "PublicationScheduled"
        case .publicationUnscheduled: "PublicationUnscheduled"
        case .published: "ArticlePublished"
        case .unpublished: "ArticleUnpublished"
        case .archived: "ArticleArchived"
        case .restored: "ArticleRestored"
        case .commented: "CommentAdded"
        }
    }

    /// The name of the user whose command produced the event.
    public var by: String {
        switch self {
        case .drafted(let e): e.by
        case .edited(let e): e.by
        case .submitted(let e): e.by
        case .changesRequested(let e): e.by
        case .approved(let e): e.by
        case .publicationScheduled(let e): e.by
        case .publicationUnscheduled(let e): e.by
        case .published(let e): e.by
        case .unpublished(let e): e.by
        case .archived(let e): e.by
        case .restored(let e): e.by
        case .commented(let e): e.by
        }
    }

    /// When the command that produced the event ran.
    public var at: Date {
        switch self {
        case .drafted(let e): e.at
        case .edited(let e): e.at
        case .submitted(let e): e.at
        case .changesRequested(let e): e.at
        case .approved(let e): e.at
        case .publicationScheduled(let e): e.at
        case .publicationUnscheduled(let e): e.at
        case .published(let e): e.at
        case .unpublished(let e): e.at
        case .archived(let e): e.at
        case .restored(let e): e.at
        case .commented(let e): e.at
        }
    }

    /// True for a review note, which changes neither text nor status: a version taken before one is not stale.
    public var isReviewNote: Bool {
        if case .commented = self { true } else { false }
    }

    /// The command that produces this kind of event (an `ArticlePublished` may also come from `publish-due`).
    public var commandKind: CommandKind {
        switch self {
        case .drafted: .draft
        case .edited(let e): e.revertedTo == nil ? .edit : .revert
        case .submitted: .submit
        case .changesRequested: .requestChanges
        case .approved: .approve
        case .publicationScheduled: .publish
        case .publicationUnscheduled: .unschedule
        case .published(let e): e.scheduledFor == nil ? .publish : .publishDue
        case .unpublished: .unpublish
        case .archived: .archive
        case .restored: .restore
        case .commented: .comment
        }
    }
}
