import Foundation
import Timestamps

/// An event about to be appended.
public struct NewEvent: Sendable, Hashable {
    /// Unique across the whole store.
    public var id: UUID
    /// What happened, past tense (`ArticleDrafted`).
    public var type: String
    /// The version of this event type's data layout, for upcasting old events.
    public var schemaVersion: Int
    /// The event's data as a JSON document.
    public var data: String

    public init(id: UUID = .timeOrdered(), type: String, schemaVersion: Int = 1, data: String) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.data = data
    }
}

/// An event as stored: its data plus where it sits in its stream and in the global log.
public struct RecordedEvent: Sendable, Hashable {
    /// Position in the global log: unique and increasing in insertion order, with possible gaps.
    public let globalPosition: Int64
    public let streamId: String
    /// 1 for a stream's first event, then contiguous.
    public let streamVersion: Int64
    public let id: UUID
    public let type: String
    public let schemaVersion: Int
    /// The event's data as a JSON document (as PostgreSQL's `jsonb` renders it).
    public let data: String
    public let metadata: EventMetadata
    public let recordedAt: Date
    /// The id of the transaction that wrote it; orders the global log together with the position.
    public let transactionId: UInt64

    /// The cursor just after this event in the global log.
    public var cursor: GlobalCursor { GlobalCursor(transactionId: transactionId, position: globalPosition) }
}

/// A place in the global log: readers continue "after" it.
///
/// The log is ordered by (writing transaction, position), not by position alone, because
/// concurrent transactions commit out of position order; see `EventStore.readAll`.
public struct GlobalCursor: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let transactionId: UInt64
    public let position: Int64

    /// Before the first event.
    public static let start = GlobalCursor(transactionId: 0, position: 0)

    public init(transactionId: UInt64, position: Int64) {
        self.transactionId = transactionId
        self.position = position
    }

    /// Parses the text form `TRANSACTION-POSITION` (as `description` prints it).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let transaction = UInt64(parts[0]), let position = Int64(parts[1]), position >= 0
        else { return nil }
        self.init(transactionId: transaction, position: position)
    }

    public var description: String { "\(transactionId)-\(position)" }

    public static func < (lhs: GlobalCursor, rhs: GlobalCursor) -> Bool {
        (lhs.transactionId, lhs.position) < (rhs.transactionId, rhs.position)
    }
}
