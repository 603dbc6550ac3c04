import Copydesk
import Editorial
import Foundation
import Postgres
import Testing
import TestSupport

@Suite("copydesk anchor and verify --anchor")
struct AnchorCLITests {
    @Test("verify --anchor passes on an untouched store and exits 8 naming the position once an event is re-hashed")
    func anchorThenVerify() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Якорь", body: "Текст"))
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let anchor = try cli("anchor", "--json")
        #expect(anchor.status == 0, "\(anchor.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(anchor.stdout.utf8)) as? [String: Any])
        let position = try #require((json["position"] as? NSNumber)?.intValue)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try anchor.stdout.write(to: file, atomically: true, encoding: .utf8)
        #expect(try cli("anchor").stdout.contains("position: \(position)\n"))

        _ = try cli("draft", "--title", "Later", user: "alice")
        let clean = try cli("verify", "--anchor", file.path)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("match the anchor"))

        // A superuser moves the draft an hour back and gives it a valid hash: the chain still verifies.
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        try await owner.executeScript("ALTER TABLE events DISABLE TRIGGER USER")
        try await owner.query(
            """
            UPDATE events SET recorded_at = recorded_at - interval '1 hour',
                hash = event_hash(previous_hash, stream_id, stream_version, event_id, event_type, schema_version,
                                  data, metadata, recorded_at - interval '1 hour')
            WHERE stream_id = $1 AND stream_version = 1
            """,
            [ArticleStream.name(for: id)])
        try await owner.executeScript("ALTER TABLE events ENABLE TRIGGER USER")
        let altered = try cli("verify", "--anchor", file.path)
        #expect(altered.status == 8, "\(altered.stdout)\(altered.stderr)")
        #expect(altered.stdout.contains("hash chain verifies"))
        #expect(altered.stdout.contains("altered") && altered.stdout.contains("position \(position)"))

        try "position: 3\n".write(to: file, atomically: true, encoding: .utf8)
        let damaged = try cli("verify", "--anchor", file.path)
        #expect(damaged.status == 5 && damaged.stderr.contains("anchor cannot be read"), "\(damaged.stderr)")
    }
}
