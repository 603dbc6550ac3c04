import Copydesk
import Editorial
import Foundation
import Postgres
import Testing

@Suite("Users, tokens and seed import")
struct UserAndImportTests {
    @Test("a token is shown once, stored only as a hash, and identifies its user")
    func tokens() async throws {
        let fixture = try await WorkflowFixture()
        let token = try await fixture.app.users.add(name: "erin", role: .publisher)
        #expect(try await fixture.app.users.actor(forToken: token) == Actor(name: "erin", role: .publisher))

        var tampered = Array(token)
        tampered[tampered.count - 1] = tampered.last == "0" ? "1" : "0"
        #expect(try await fixture.app.users.actor(forToken: String(tampered)) == nil)
        #expect(try await fixture.app.users.actor(forToken: "nonsense") == nil)

        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        let parts = token.split(separator: "_").map(String.init)
        let stored = try await owner.query(
            "SELECT token_hash = sha256(convert_to($2, 'UTF8')) AS matches, token_hash::text AS hash FROM user_tokens WHERE token_id = $1",
            [parts[1], parts[2]]
        ).first!
        // Only the hash is stored, and it is PostgreSQL's sha256 of the secret (as before the hash moved into Swift).
        #expect(try stored.decode("matches", as: Bool.self))
        #expect(try stored.decode("hash", as: String.self).contains(parts[2]) == false)
        let events = try await owner.query("SELECT data::text FROM events WHERE stream_id = 'user-erin'").rows
            .map { try $0.decode(0, as: String.self) }
        #expect(events.count == 2)
        #expect(events.allSatisfy { !$0.contains(parts[2]) })
        await owner.close()
    }

    @Test("users are listed with their roles; unknown names and duplicates are refused clearly")
    func directory() async throws {
        let fixture = try await WorkflowFixture()
        let users = try await fixture.app.users.list()
        #expect(users.map(\.account.name) == ["alice", "bob", "carol", "dave"])
        #expect(users.first?.account.role == .author)
        let unknown = await #expect(throws: WorkflowError.self) { try await fixture.app.users.actor(named: "mallory") }
        #expect(unknown == .unknownUser("mallory"))
        await #expect(throws: WorkflowError.self) { try await fixture.app.users.add(name: "alice", role: .admin) }
        await #expect(throws: WorkflowError.self) { try await fixture.app.users.add(name: "Bad Name", role: .admin) }
        #expect(try await fixture.app.users.actor(named: "alice").role == .author)
    }

    @Test("a malformed seed file is named with its line, and nothing from it is written")
    func malformedImport() async throws {
        let fixture = try await WorkflowFixture()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try String(contentsOfFile: WorkflowFixture.seedFile, encoding: .utf8)
        try good.write(to: folder.appendingPathComponent("1_good.txt"), atomically: true, encoding: .utf8)
        let broken = good.replacingOccurrences(of: "Политика >> 11.05.2014", with: "Политика 11.05.2014")
        try broken.write(to: folder.appendingPathComponent("2_broken.txt"), atomically: true, encoding: .utf8)

        let files = try SeedImporter.files(in: [folder.path])
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["1_good.txt", "2_broken.txt"])
        let outcomes = try await fixture.app.importer.importFiles(files, as: fixture.alice)
        #expect((try? outcomes[0].result.get()) != nil)
        guard case .failure(let error) = outcomes[1].result else {
            Issue.record("the broken file was imported")
            return
        }
        #expect(error.description.contains("2_broken.txt:3"))
        #expect(try await fixture.eventCount() == 1)
    }

    @Test("a seed file over a limit is refused naming the file, the field and the limit; nothing from it is written")
    func importOverLimit() async throws {
        let fixture = try await WorkflowFixture()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("long-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let good = try String(contentsOfFile: WorkflowFixture.seedFile, encoding: .utf8)
        let title = try #require(good.components(separatedBy: "\n").first)
        let long = String(repeating: "Ж", count: InputLimit.title.maximum + 1)
        try good.replacingOccurrences(of: title, with: long).write(to: file, atomically: true, encoding: .utf8)
        let outcomes = try await fixture.app.importer.importFiles([file.path], as: fixture.alice)
        guard case .failure(let error) = outcomes.first?.result else {
            Issue.record("the oversized file was imported")
            return
        }
        #expect(error.description.contains(file.lastPathComponent) && error.description.contains("at most 1000"),
                "\(error)")
        #expect(try await fixture.eventCount() == 0)
    }

    @Test("import keeps every character of the seed file's title, lead and body")
    func importKeepsText() async throws {
        let fixture = try await WorkflowFixture()
        let text = try String(contentsOfFile: WorkflowFixture.seedFile, encoding: .utf8)
        let id = try #require(try await fixture.app.importer.importFiles([WorkflowFixture.seedFile], as: fixture.alice)
            .first?.result.get())
        let article = try #require(try await fixture.app.queries.article(id))
        let lines = text.components(separatedBy: "\n")
        #expect(article.title == lines[0])
        #expect(article.lead == lines[4])
        #expect(article.body == lines[6...].joined(separator: "\n"))
        #expect(article.author == "alice")
    }

    @Test("a large import in concurrent batches answers in file order and agrees with replay")
    func largeImport() async throws {
        let fixture = try await WorkflowFixture()
        let good = try String(contentsOfFile: WorkflowFixture.seedFile, encoding: .utf8)
        let broken = good.replacingOccurrences(of: " >> ", with: " ")
        let count = 2 * SeedImporter.chunkSize + 50
        let brokenIndexes: Set = [3, SeedImporter.chunkSize + 7]
        let folder = try Self.sampleVariants(count, replacing: Dictionary(uniqueKeysWithValues: brokenIndexes.map { ($0, broken) }))
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try SeedImporter.files(in: [folder.path])
        let outcomes = try await fixture.app.importer.importFiles(files, as: fixture.alice)
        #expect(outcomes.map(\.file) == files)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome.result {
            case .success(let id):
                #expect(!brokenIndexes.contains(index))
                #expect(try await fixture.app.queries.article(id)?.title.hasSuffix(" \(index)") == true)
            case .failure(let error):
                #expect(brokenIndexes.contains(index), "\(error)")
            }
        }
        #expect(try await fixture.eventCount() == count - brokenIndexes.count)
        let (_, differences) = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo).verify()
        #expect(differences == [])
    }

    @Test("when the database refuses one file of a batch, only that file fails; the others are imported")
    func databaseRefusesOneFile() async throws {
        let fixture = try await WorkflowFixture()
        let folder = try Self.sampleVariants(5)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A rule only the database knows stands in for whatever a file's content may break there.
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        try await owner.executeScript("ALTER TABLE articles ADD CONSTRAINT no_third CHECK (title NOT LIKE '% 3')")
        await owner.close()

        let files = try SeedImporter.files(in: [folder.path])
        let outcomes = try await fixture.app.importer.importFiles(files, as: fixture.alice)
        #expect(outcomes.map(\.file) == files)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome.result {
            case .success(let id):
                #expect(index != 3)
                #expect(try await fixture.app.queries.article(id)?.title.hasSuffix(" \(index)") == true)
            case .failure(let error):
                #expect(index == 3)
                #expect("\(error)".contains("0003.txt") && "\(error)".contains("no_third"), "\(error)")
            }
        }
        #expect(try await fixture.eventCount() == 4)
    }

    /// A new folder of `count` variants of the sample seed, `0000.txt` on, each titled "<title> <index>"
    /// (`replaced[index]` instead, when given, as the whole text). The caller removes it.
    static func sampleVariants(_ count: Int, replacing replaced: [Int: String] = [:]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sample = try String(contentsOfFile: WorkflowFixture.seedFile, encoding: .utf8)
        for index in 0..<count {
            var lines = sample.components(separatedBy: "\n")
            lines[0] += " \(index)"  // the title, and the title again under the dateline
            lines[3] += " \(index)"
            try (replaced[index] ?? lines.joined(separator: "\n")).write(
                to: folder.appendingPathComponent(String(format: "%04d.txt", index)), atomically: true, encoding: .utf8)
        }
        return folder
    }
}
