import Foundation
import Postgres
import TestSupport
import Testing

@Suite("COPY FROM STDIN and prepared statements")
struct BulkAndPreparedTests {
    let database: TestDatabase

    init() async throws {
        database = try await TestDatabase.empty()
    }

    @Test("rows copied in come back exactly: escapes, NULLs, arrays, times, ids")
    func copyInRoundTrip() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript(
            "CREATE TABLE copied (n bigint, t text, tags text[], at timestamptz, id uuid, flag boolean)")
        let texts = [
            "tab\there", "line\nbreak", "carriage\rreturn", "back\\slash", "\\N", "", "Казахстан 🇰🇿 «кавычки»",
            "\"quoted\" {braces}, commas",
        ]
        let tags = ["a,b", "say \"hi\"", "{x}", "back\\slash", "", "NULL", "tab\tin", "line\nin"]
        let times = [
            Date(timeIntervalSince1970: 1_764_041_438.123456), Date(timeIntervalSince1970: -1.5),
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400.000001),
        ]
        let ids = (0..<texts.count).map { _ in UUID() }
        var rows = CopyRows()
        for (index, text) in texts.enumerated() {
            rows.add(Int64(index))
            rows.add(text)
            rows.add(index == 0 ? [] : Array(tags.prefix(index)))
            rows.add(times[index % times.count])
            rows.add(ids[index])
            rows.add(index % 2 == 0)
            rows.endRow()
        }
        rows.add(Int64(texts.count))
        rows.add(nil as String?)
        rows.add(nil as [String]?)
        rows.add(nil as Date?)
        rows.add(UUID())
        rows.add(false)
        rows.endRow()

        let written = try await connection.copyIn("COPY copied (n, t, tags, at, id, flag) FROM STDIN", rows)
        #expect(written == texts.count + 1)
        let back = try await connection.query("SELECT n, t, tags, at, id, flag FROM copied ORDER BY n").rows
        #expect(back.count == texts.count + 1)
        for (index, text) in texts.enumerated() {
            #expect(try back[index].decode("t", as: String.self) == text)
            #expect(try back[index].decode("tags", as: [String].self) == (index == 0 ? [] : Array(tags.prefix(index))))
            #expect(try back[index].decode("at", as: Date.self) == times[index % times.count])
            #expect(try back[index].decode("id", as: UUID.self) == ids[index])
            #expect(try back[index].decode("flag", as: Bool.self) == (index % 2 == 0))
        }
        let last = back[texts.count]
        #expect(try last.decodeIfPresent("t", as: String.self) == nil)
        #expect(try last.decodeIfPresent("tags", as: [String].self) == nil)
        #expect(try last.decodeIfPresent("at", as: Date.self) == nil)
    }

    @Test("a COPY the server refuses writes no row and leaves the connection usable")
    func refusedCopyWritesNothing() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript("CREATE TABLE strict_rows (n bigint NOT NULL)")
        var rows = CopyRows()
        rows.add(Int64(1))
        rows.endRow()
        rows.add(nil as Int64?)
        rows.endRow()
        await #expect(throws: PostgresError.self) {
            try await connection.copyIn("COPY strict_rows (n) FROM STDIN", rows)
        }
        #expect(try await connection.query("SELECT count(*) FROM strict_rows").first?.decode(0, as: Int.self) == 0)
    }

    @Test("a statement that failed to prepare is prepared again once it can be, in a pipeline and alone")
    func failedPreparationIsRetried() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        var pipeline = Pipeline()
        pipeline.append("SELECT 1")
        pipeline.append("SELECT count(*) FROM appears_later WHERE n > $1", [0])
        await #expect(throws: PostgresError.self) { try await connection.run(pipeline) }
        await #expect(throws: PostgresError.self) {
            try await connection.query("SELECT n FROM appears_later WHERE n = $1", [1])
        }
        try await connection.executeScript("CREATE TABLE appears_later (n bigint); INSERT INTO appears_later VALUES (1), (2)")
        let results = try await connection.run(pipeline)
        #expect(try results[1].first?.decode(0, as: Int.self) == 2)
        #expect(try await connection.query("SELECT n FROM appears_later WHERE n = $1", [1]).rows.count == 1)
    }

    @Test("a statement whose result a migration changed is prepared again: at once outside a transaction, on the next try inside one")
    func resultShapeChangedUnderPreparedStatement() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript("CREATE TABLE grows (a integer); INSERT INTO grows VALUES (1)")
        let sql = "SELECT * FROM grows"
        #expect(try await connection.query(sql).columns == ["a"])
        var pipeline = Pipeline()
        pipeline.append("BEGIN")
        pipeline.append(sql)
        pipeline.append("COMMIT")
        _ = try await connection.run(pipeline)

        let migrator = try await Connection.connect(to: database.ownerConninfo)
        try await migrator.executeScript("ALTER TABLE grows ADD COLUMN b text DEFAULT 'new'")
        #expect(try await connection.query(sql).columns == ["a", "b"])
        try await migrator.executeScript("ALTER TABLE grows ADD COLUMN c text DEFAULT 'newer'")
        await #expect(throws: PostgresError.self) { try await connection.run(pipeline) }
        try await connection.executeScript("ROLLBACK")
        #expect(try await connection.run(pipeline)[1].columns == ["a", "b", "c"])
    }

    @Test("a prepared statement follows a table that was dropped and made again with other types")
    func preparedStatementsFollowSchemaChanges() async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript("CREATE TABLE reshaped (v integer); INSERT INTO reshaped VALUES (7)")
        let sql = "SELECT v::text FROM reshaped WHERE v IS NOT NULL"
        #expect(try await connection.query(sql).first?.decode(0, as: String.self) == "7")
        try await connection.executeScript("DROP TABLE reshaped; CREATE TABLE reshaped (v text); INSERT INTO reshaped VALUES ('seven')")
        #expect(try await connection.query(sql).first?.decode(0, as: String.self) == "seven")
        for _ in 0..<3 { #expect(try await connection.query(sql).rows.count == 1) }
    }
}

@Suite("UUID text from the server")
struct UUIDTextTests {
    @Test("ids print in the server's lowercase form; that form, any case and malformed text parse as Foundation would")
    func parsing() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(id.postgresText == id.uuidString.lowercased())
            #expect(UUID(postgresText: id.uuidString.lowercased()) == id)
            #expect(UUID(postgresText: id.uuidString) == id)
        }
        let text = "6f9619ff-8b86-d011-b42d-00c04fc964ff"
        for bad in [
            "", "6f9619ff8b86d011b42d00c04fc964ff", "6f9619ff-8b86-d011-b42d-00c04fc964f", "6f9619ff-8b86-d011-b42d-00c04fc964fg",
            "6f9619ff+8b86-d011-b42d-00c04fc964ff", text + "0",
        ] {
            #expect(UUID(postgresText: bad) == UUID(uuidString: bad), "\(bad)")
        }
    }
}
