import Copydesk
import Foundation
import LocalPostgres
import Postgres
import TestSupport
import Testing

@Suite("Connection failures and the pool's recovery")
struct ConnectionFailureTests {
    @Test("an unreachable server is a typed connection error")
    func unreachable() async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await Connection.connect(to: "host=/nonexistent/socket/dir dbname=copydesk connect_timeout=2")
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.isUnavailable == true)
    }

    @Test("a malformed conninfo is a typed connection error")
    func malformedConninfo() async throws {
        let error = await #expect(throws: PostgresError.self) { try await Connection.connect(to: "host= = =") }
        #expect(error?.kind == .connectionFailed)
    }

    @Test("a terminated backend gives connectionLost, and the pool replaces the connection")
    func droppedConnection() async throws {
        let database = try await TestDatabase.empty()
        let pool = ConnectionPool(.init(conninfo: database.ownerConninfo, maximumConnections: 1))
        let admin = try await Connection.connect(to: database.ownerConninfo)

        let victim = try await Connection.connect(to: database.ownerConninfo)
        try await admin.query("SELECT pg_terminate_backend($1)", [await victim.backendPID])
        let error = await #expect(throws: PostgresError.self) { try await victim.query("SELECT 1") }
        #expect(error?.kind == .connectionLost)

        let firstPID = try await pool.withConnection { await $0.backendPID }
        // With a timeout, pg_terminate_backend waits until the backend process has exited.
        let terminated = try await admin.query("SELECT pg_terminate_backend($1, 10000)", [firstPID])
        #expect(try terminated.first?.decode(0, as: Bool.self) == true)
        // The idle pooled connection is dead now; the pool notices and opens another.
        let secondPID = try await pool.withConnection { connection in
            try await connection.query("SELECT pg_backend_pid()").first!.decode(0, as: Int32.self)
        }
        #expect(secondPID != firstPID)
        #expect(await pool.usage.open == 1)
    }

    @Test("a write refused as read-only (a demoted primary) is 'unavailable', and the pool replaces that connection")
    func readOnlyServer() async throws {
        let database = try await TestDatabase.empty()
        let pool = ConnectionPool(.init(conninfo: database.ownerConninfo, maximumConnections: 1))
        try await pool.withConnection { connection in
            try await connection.executeScript("CREATE TABLE notes (text text)")
            // What a connection to a primary that was demoted to a standby sees: no more writes.
            try await connection.executeScript("SET SESSION default_transaction_read_only = on")
        }
        let demotedPID = try await pool.withConnection { await $0.backendPID }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try await connection.query("INSERT INTO notes VALUES ('lost?')")
            }
        }
        #expect(error?.code == .readOnlySQLTransaction)
        #expect(error?.isUnavailable == true, "a read-only server is a 503 and a retry, not a 500")
        // The retry gets a new connection, which writes.
        let (pid, written) = try await pool.withConnection { connection in
            try await connection.query("INSERT INTO notes VALUES ('written')")
            return (await connection.backendPID, try await connection.query("SELECT count(*) FROM notes").first?.decode(0, as: Int64.self))
        }
        #expect(pid != demotedPID)
        #expect(written == 1)
        #expect(await pool.usage.open == 1)
        await pool.shutdown()
    }

    @Test("the pool never opens more than its maximum, and every task gets a turn")
    func poolBound() async throws {
        let database = try await TestDatabase.empty()
        let pool = ConnectionPool(.init(conninfo: database.ownerConninfo, maximumConnections: 3))
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<24 {
                group.addTask {
                    try await pool.withConnection { connection in
                        try await connection.query("SELECT pg_sleep(0.01)")
                        return await connection.backendPID
                    }
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(pids.count <= 3)
        #expect(await pool.usage.open <= 3)
        #expect(await pool.usage.waiting == 0)
    }

    @Test("a server restart gives typed errors while down, and the pool recovers without a restart of its own")
    func serverRestart() async throws {
        // Its own cluster: restarting the shared one would disturb every other suite.
        let directory = TestCluster.privateDirectory("restart").appendingPathComponent("postgres")
        let cluster = LocalCluster(dataDirectory: directory)
        try await cluster.start()
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
        }
        let pool = ConnectionPool(.init(conninfo: cluster.connectionURL(database: "postgres"), maximumConnections: 2))
        #expect(try await pool.withConnection { try await $0.query("SELECT 1").rows.count } == 1)

        try cluster.stop()
        let whileDown = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.query("SELECT 1") }
        }
        #expect(whileDown?.isUnavailable == true)

        try await cluster.start()
        let answer = try await pool.withConnection { try await $0.query("SELECT 41 + 1").first!.decode(0, as: Int.self) }
        #expect(answer == 42)
    }
}
