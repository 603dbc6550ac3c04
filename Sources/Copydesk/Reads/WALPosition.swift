/// A position in PostgreSQL's write-ahead log (an LSN), as PostgreSQL writes it: `16/B374D848`.
///
/// A command's response carries the position of its commit; a read that brings it back is
/// served by a streaming replica only once the replica has replayed that far.
public struct WALPosition: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Parses `X/Y` (two hexadecimal numbers of at most eight digits), or nil.
    public init?(_ text: some StringProtocol) {
        let halves = text.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, halves.allSatisfy({ (1...8).contains($0.count) }),
            let high = UInt64(halves[0], radix: 16), let low = UInt64(halves[1], radix: 16)
        else { return nil }
        value = high << 32 | low
    }

    public var description: String {
        String(value >> 32, radix: 16, uppercase: true) + "/" + String(value & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    /// SQL for the primary's position right after a commit in the same pipeline: at or past the
    /// commit's record, so a replica that has replayed it holds the commit.
    static let afterCommitSQL = "SELECT pg_current_wal_insert_lsn()::text"

    public static func < (left: WALPosition, right: WALPosition) -> Bool { left.value < right.value }
}
