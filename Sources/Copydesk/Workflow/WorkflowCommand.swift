import Editorial
import EventStore
import Foundation
import Timestamps

/// A command as the application receives it: what to do to which article, by whom, and how to
/// record it. Both the CLI and the HTTP API build these.
public struct WorkflowCommand: Sendable {
    public var article: UUID
    public var actor: Actor
    public var action: ArticleCommand.Action
    /// When set, the command applies only if the article is still at this version (no retry).
    public var expectedVersion: Int64?
    /// Repeating a command id returns the first outcome and writes nothing.
    public var commandId: UUID
    public var correlationId: String?
    public var origin: Origin
    /// The fingerprint of the request, when a client may retry it under the same command id (an
    /// HTTP Idempotency-Key): a command id already handled for another request is refused.
    public var requestHash: [UInt8]?

    public init(
        article: UUID, actor: Actor, action: ArticleCommand.Action, expectedVersion: Int64? = nil,
        commandId: UUID = .timeOrdered(), correlationId: String? = nil, origin: Origin, requestHash: [UInt8]? = nil
    ) {
        self.article = article
        self.actor = actor
        self.action = action
        self.expectedVersion = expectedVersion
        self.commandId = commandId
        self.correlationId = correlationId
        self.origin = origin
        self.requestHash = requestHash
    }
}

/// What a command did.
public struct WorkflowOutcome: Sendable {
    /// The article after the command (for a repeated command id: as it is now).
    public let article: Article
    /// The events this command appended; empty when the command id had been handled before.
    public let events: [ArticleEvent]
    /// True when the command id had been handled before and nothing was written.
    public let wasDuplicate: Bool
    /// Where in the write-ahead log the command committed (nil when nothing was written): a read
    /// that brings it is served only by a replica that has replayed that far.
    public var commitPosition: WALPosition? = nil
}
