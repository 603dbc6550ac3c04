/// Where an article stands in the editorial workflow; raw values are the names users and storage see.
public enum ArticleStatus: String, Codable, Sendable, CaseIterable {
    /// Being written; not yet offered for review.
    case draft
    /// Submitted and waiting for an editor's decision.
    case inReview = "in_review"
    /// Sent back to its writers by an editor, with a reason.
    case changesRequested = "changes_requested"
    /// Approved by an editor who did not write it; ready to publish.
    case approved
    /// Approved and due to go live at a set time.
    case scheduled
    /// Live; it may carry a pending revision that is not live yet.
    case published
    /// Withdrawn from the live set.
    case unpublished
    /// Closed for good.
    case archived
}
