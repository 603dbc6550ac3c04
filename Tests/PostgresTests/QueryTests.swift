import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Queries, parameters and typed rows")
struct QueryTests {
    let database: TestDatabase

    init() async throws {
        database = try await TestDatabase.empty()
    }

    @Test("parameters and NULLs round-trip as typed values")
    func parametersRoundTrip() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        let id = UUID()
        let when = Date(timeIntervalSince1970: 1_764_041_438.123456)
        let text = "Асхатом «Сыздыковым» said \"hi\" 🗞️ O'Brien \\ ;"
        let row = try #require(
            try await connection.query(
                "SELECT $1::text AS text, $2::bigint AS number, $3::boolean AS flag, $4::uuid AS id, "
                    + "$5::timestamptz AS at, $6::text AS missing, $7::double precision AS ratio, $8::bytea AS bytes",
                [text, Int64.max, true, id, when, nil, 0.25, ByteA([0, 1, 254, 255])]
            ).first)
        #expect(try row.decode("text", as: String.self) == text)
        #expect(try row.decode("number", as: Int64.self) == Int64.max)
        #expect(try row.decode("flag", as: Bool.self) == true)
        #expect(try row.decode("id", as: UUID.self) == id)
        #expect(try row.decode("at", as: Date.self) == when)
        #expect(try row.decodeIfPresent("missing", as: String.self) == nil)
        #expect(try row.decode("ratio", as: Double.self) == 0.25)
        #expect(try row.decode("bytes", as: ByteA.self) == ByteA([0, 1, 254, 255]))
        #expect(throws: PostgresError.self) { try row.decode("missing", as: String.self) }
        #expect(throws: PostgresError.self) { try row.decode("text", as: Int.self) }
    }

    @Test("arrays round-trip, with commas, quotes, braces and backslashes inside elements")
    func arrays() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        let tags = ["politics", "a,b", "say \"hi\"", "{braces}", "back\\slash", "", "NULL", "Казахстан 🇰🇿"]
        let row = try #require(
            try await connection.query(
                "SELECT $1::text[] AS tags, $2::bigint[] AS numbers, '{}'::text[] AS empty, cardinality($1::text[]) AS count",
                [tags, [Int64(3), -1, 9_000_000_000]]
            ).first)
        #expect(try row.decode("tags", as: [String].self) == tags)
        #expect(try row.decode("count", as: Int.self) == tags.count)
        #expect(try row.decode("numbers", as: [Int64].self) == [3, -1, 9_000_000_000])
        #expect(try row.decode("empty", as: [String].self) == [])
    }

    @Test("rows stream one at a time; a body that throws stops the statement and the connection stays usable")
    func streaming() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        let (count, sum) = try await connection.perform { connection in
            var count = 0
            var sum: Int64 = 0
            try connection.forEachRow("SELECT g FROM generate_series(1, $1::int) g", [200_000]) { row in
                count += 1
                sum += try row.decode(0, as: Int64.self)
            }
            return (count, sum)
        }
        #expect(count == 200_000)
        #expect(sum == 200_000 * 200_001 / 2)

        struct Enough: Error {}
        await #expect(throws: Enough.self) {
            try await connection.perform { connection in
                try connection.forEachRow("SELECT g FROM generate_series(1, 10000000) g") { row in
                    if try row.decode(0, as: Int.self) == 10 { throw Enough() }
                }
            }
        }
        #expect(try await connection.query("SELECT 7").first?.decode(0, as: Int.self) == 7)
        let error = await #expect(throws: PostgresError.self) {
            try await connection.perform { connection in
                try connection.forEachRow("SELECT 1/(g - 3) FROM generate_series(1, 5) g") { _ in }
            }
        }
        #expect(error?.code == SQLState(rawValue: "22012"))
    }

    @Test("a pipeline sends several statements in one round trip; a failure skips the rest and is thrown")
    func pipeline() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript("CREATE TABLE piped (n int)")
        var pipeline = Pipeline()
        pipeline.append("BEGIN")
        pipeline.append("INSERT INTO piped VALUES ($1), ($2)", [1, 2])
        pipeline.append("SELECT sum(n)::int AS total FROM piped")
        pipeline.append("COMMIT")
        let results = try await connection.run(pipeline)
        #expect(results.count == 4)
        #expect(try results[2].first?.decode("total", as: Int.self) == 3)

        var failing = Pipeline()
        failing.append("BEGIN")
        failing.append("INSERT INTO piped VALUES ($1)", [10])
        failing.append("SELECT 1/0")
        failing.append("INSERT INTO piped VALUES ($1)", [20])
        failing.append("COMMIT")
        let error = await #expect(throws: PostgresError.self) { try await connection.run(failing) }
        #expect(error?.code == SQLState(rawValue: "22012"))
        try await connection.executeScript("ROLLBACK")
        // Nothing of the failed pipeline stayed, and the connection works normally again.
        #expect(try await connection.query("SELECT sum(n)::int FROM piped").first?.decode(0, as: Int.self) == 3)
        #expect(try await connection.run(pipeline).count == 4)
        #expect(try await connection.query("SELECT count(*)::int FROM piped").first?.decode(0, as: Int.self) == 4)
    }

    @Test("a value that looks like SQL is stored as data, never executed")
    func valuesAreNeverSpliced() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript("CREATE TABLE notes (body text)")
        let hostile = "x'); DROP TABLE notes; --"
        try await connection.query("INSERT INTO notes (body) VALUES ($1)", [hostile])
        let stored = try await connection.query("SELECT body FROM notes").rows.map { try $0.decode(0, as: String.self) }
        #expect(stored == [hostile])
    }

    @Test("a NUL character in a parameter is refused before it reaches the server")
    func nulIsRefused() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT $1::text", ["a\u{0}b"])
        }
        #expect(error?.kind == .unsendableValue)
        #expect(try await connection.query("SELECT 1").rows.count == 1)
    }

    @Test("bad SQL is a typed server error and the connection stays usable")
    func badSQL() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        let error = await #expect(throws: PostgresError.self) { try await connection.query("SELEC 1") }
        #expect(error?.kind == .server)
        #expect(error?.code == .syntaxError)
        let missing = await #expect(throws: PostgresError.self) { try await connection.query("SELECT * FROM nowhere") }
        #expect(missing?.code == .undefinedTable)
        #expect(try await connection.query("SELECT 2 AS two").first?.decode("two", as: Int.self) == 2)
    }

    @Test("a unique violation names its SQLSTATE and constraint")
    func uniqueViolation() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript("CREATE TABLE people (name text CONSTRAINT people_name_key UNIQUE)")
        try await connection.query("INSERT INTO people VALUES ($1)", ["ada"])
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("INSERT INTO people VALUES ($1)", ["ada"])
        }
        #expect(error?.code == .uniqueViolation)
        #expect(error?.constraint == "people_name_key")
        // The duplicate value is in the detail only, not in the loggable description.
        #expect(error?.detail?.contains("ada") == true)
        #expect(error?.description.contains("ada") == false)
    }

    @Test("a transaction commits its work, and rolls all of it back when the body throws")
    func transactions() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript("CREATE TABLE ledger (amount int)")
        try await connection.transaction { connection in
            try connection.query("INSERT INTO ledger VALUES ($1)", [1])
            try connection.query("INSERT INTO ledger VALUES ($1)", [2])
        }
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await connection.transaction { connection in
                try connection.query("INSERT INTO ledger VALUES ($1)", [100])
                throw Abort()
            }
        }
        // A statement that failed inside the body poisons the transaction: COMMIT must not pretend.
        await #expect(throws: PostgresError.self) {
            try await connection.transaction { connection in
                try connection.query("INSERT INTO ledger VALUES ($1)", [1000])
                _ = try? connection.query("SELECT 1/0")
            }
        }
        let total = try await connection.query("SELECT coalesce(sum(amount), 0)::int FROM ledger").first?.decode(0, as: Int.self)
        #expect(total == 3)
    }

    @Test("LISTEN receives NOTIFY payloads; waiting without one returns nothing")
    func listenNotify() async throws {
        let listener = try await Connection.connect(to: database.ownerConninfo)
        let sender = try await Connection.connect(to: database.ownerConninfo)
        try await listener.listen("article updates")
        #expect(try await listener.waitForNotifications(timeout: .milliseconds(50)).isEmpty)
        try await sender.query("SELECT pg_notify($1, $2)", ["article updates", "42"])
        var received: [PostgresNotification] = []
        for _ in 0..<50 where received.isEmpty {
            received = try await listener.waitForNotifications(timeout: .milliseconds(200))
        }
        #expect(received == [PostgresNotification(channel: "article updates", payload: "42")])
    }

    @Test("timestamps keep microseconds across the wire")
    func timestamps() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        for seconds in [0.0, 1.5, -86_400.000001, 1_764_041_438.999999, 4_102_444_800.25] {
            let date = Date(timeIntervalSince1970: seconds)
            let back = try await connection.query("SELECT $1::timestamptz", [date]).first?.decode(0, as: Date.self)
            #expect(abs((back?.timeIntervalSince1970 ?? .nan) - seconds) < 0.000_001)
        }
        let fixed = try await connection.query("SELECT '2014-05-11 10:00:00+04'::timestamptz").first?.decode(0, as: Date.self)
        #expect(fixed == Date(timeIntervalSince1970: 1_399_788_000))
    }
}

