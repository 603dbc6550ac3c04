import Postgres

extension EventStore {
    /// The cursor of the last event a reader of the global log can see now (`.start` when none):
    /// following the log from here yields only events that commit later, none that were missed.
    public func headCursor() async throws -> GlobalCursor {
        try await pool.withConnection { connection in
            guard
                let row = try await connection.query(
                    """
                    SELECT e.transaction_id::text AS transaction_id, e.global_position FROM events AS e
                    WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                    ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1
                    """
                ).first
            else { return .start }
            let transaction: String = try row.decode("transaction_id")
            return GlobalCursor(transactionId: UInt64(transaction) ?? 0, position: try row.decode("global_position"))
        }
    }
}
