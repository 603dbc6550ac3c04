import Foundation
import Postgres

extension EventStore {
    /// An anchor over every event committed now: its position is the highest one in the log, and
    /// it is taken once no transaction can still add an event below that position.
    ///
    /// Positions are handed out before commit, so a transaction open now may hold a lower one than
    /// the last committed event. Such a transaction holds its lock on `events` until it ends, so
    /// the anchor waits, up to `settleTimeout` (then `AnchorError.unsettled`), for every
    /// transaction of this database that held that lock when the position was read. Transactions
    /// of other databases, or that do not write events, are not waited for.
    public func anchor(settleTimeout: Duration = .seconds(10)) async throws -> Anchor {
        let (position, writers) = try await pool.withConnection { connection in
            // The snapshot that finds the position is taken before pg_locks is read, so a writer
            // still open in that snapshot is in the list unless it has already ended.
            let row = try await connection.query(
                """
                SELECT (SELECT coalesce(max(global_position), 0) FROM events) AS position,
                       (SELECT coalesce(string_agg(virtualtransaction, ','), '') FROM pg_locks
                        WHERE \(Self.eventWriterLocks) AND pid <> pg_backend_pid()) AS writers
                """
            ).first!
            return (try row.decode("position", as: Int64.self), try row.decode("writers", as: String.self))
        }
        let clock = ContinuousClock()
        let deadline = clock.now + settleTimeout
        while !writers.isEmpty, try await stillWriting(writers) {
            guard clock.now < deadline else { throw AnchorError.unsettled(seconds: Int(settleTimeout.components.seconds)) }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await anchor(at: position)
    }

    /// Locks held by transactions of this database that insert into `events`.
    private static let eventWriterLocks = """
        locktype = 'relation' AND mode = 'RowExclusiveLock' AND relation = 'events'::regclass
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """

    private func stillWriting(_ writers: String) async throws -> Bool {
        try await pool.withConnection { connection in
            try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE \(Self.eventWriterLocks) "
                    + "AND virtualtransaction = ANY (string_to_array($1, ',')))",
                [writers]
            ).first!.decode(0, as: Bool.self)
        }
    }

    /// The anchor over the events at positions 1 through `position` as they are stored now,
    /// taken at the database's current time: `verify --anchor` compares it with a kept one.
    ///
    /// Reads the hashes in position order a page at a time into a `MerkleTree`, so memory stays
    /// bounded whatever the size of the log. (Pages rather than `forEachRow`: after a single-row
    /// read the pooled connection refused the pipeline mode of the next append.)
    public func anchor(at position: Int64, pageSize: Int = 10_000) async throws -> Anchor {
        let takenAt: Date = try await pool.withConnection { connection in
            try await connection.query("SELECT now()").first!.decode(0)
        }
        var tree = MerkleTree()
        var after: Int64 = 0
        while true {
            let page = try await pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT global_position, hash FROM events
                    WHERE global_position > $1 AND global_position <= $2
                    ORDER BY global_position LIMIT $3
                    """,
                    [after, position, pageSize]
                ).rows
            }
            for row in page { tree.append(try row.decode("hash", as: ByteA.self).bytes) }
            guard let last = page.last, page.count == pageSize else { break }
            after = try last.decode("global_position")
        }
        return Anchor(position: position, events: tree.count, root: tree.root.hexDigits, takenAt: takenAt)
    }
}

extension [UInt8] {
    /// Lowercase hexadecimal, two digits a byte.
    var hexDigits: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }, as: UTF8.self)
    }
}
