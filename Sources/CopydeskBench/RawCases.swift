import Foundation
import Postgres

/// What PostgreSQL itself does through libpq, measured the same way as Copydesk, for the ratios.
enum RawCases {
    /// One single-row INSERT per transaction (autocommit), from `clients` connections.
    static func singleInserts(_ database: BenchDatabase, clients: Int, for duration: Duration) async throws -> CaseResult {
        let pool = database.pool(size: clients, serviceRole: false)
        let result = try await measure(clients: clients, for: duration) { client, iteration in
            _ = try await pool.withConnection { connection in
                try await connection.query(
                    """
                    INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, data, metadata, hash)
                    VALUES ($1, $2, gen_random_uuid(), 'Noted', $3::jsonb, $4::jsonb, '\\x00')
                    """,
                    ["raw-\(clients)-\(client)", iteration + 1, #"{"text": "a raw row"}"#, #"{"actor": "bench"}"#])
            }
        }
        return CaseResult(
            name: "raw_insert_\(clients)", value: result.rate, unit: "tx/s", p50_ms: result.p50, p99_ms: result.p99,
            peak_rss_mb: nil)
    }

    /// Multi-row INSERTs of 10 rows per transaction, from one connection.
    static func tenRowInserts(_ database: BenchDatabase, for duration: Duration) async throws -> CaseResult {
        let pool = database.pool(size: 1, serviceRole: false)
        let values = (0..<10).map { row in
            "($1, $2 * 10 + \(row), gen_random_uuid(), 'Noted', '{\"text\": \"a raw row\"}', '{\"actor\": \"bench\"}', '\\x00')"
        }.joined(separator: ", ")
        let result = try await measure(clients: 1, for: duration, operationsPerCall: 10) { _, iteration in
            _ = try await pool.withConnection { connection in
                try await connection.query(
                    "INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, data, metadata, hash) VALUES \(values)",
                    ["raw-batch", iteration + 1])
            }
        }
        return CaseResult(
            name: "raw_insert_10_rows", value: result.rate, unit: "rows/s", p50_ms: result.p50, p99_ms: result.p99,
            peak_rss_mb: nil)
    }

    /// Reads the whole events table with COPY TO STDOUT.
    static func copyRead(_ database: BenchDatabase) async throws -> CaseResult {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        let clock = ContinuousClock()
        let started = clock.now
        let rows = try await connection.perform { connection in try connection.copyOut("COPY events TO STDOUT") }
        let elapsed = seconds(clock.now - started)
        return CaseResult(
            name: "raw_copy_read", value: Double(rows) / elapsed, unit: "rows/s", p50_ms: nil, p99_ms: nil, peak_rss_mb: nil)
    }
}
