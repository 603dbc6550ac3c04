import Copydesk
import CopydeskHTTP
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TestSupport

@Suite("Anchors logged on a schedule")
struct AnchorLogTests {
    @Test("the server logs an anchor on its schedule, and the logged anchor verifies the history")
    func scheduledAnchor() async throws {
        let fixture = try await HTTPFixture()
        let log = LogMessageRecorder()
        var logger = Logger(label: "copydesk-anchor-tests") { _ in log.handler }
        logger.logLevel = .info
        var configuration = fixture.configuration
        configuration.anchorInterval = .milliseconds(300)
        let application = buildApplication(
            app: fixture.app, configuration: configuration, logger: logger, runScheduler: false)
        try await application.test(.live) { client in
            _ = try await client.draft(token: fixture.token("alice"), title: "Anchored")
            let clock = ContinuousClock()
            let start = clock.now
            while clock.now - start < .seconds(10), !log.lines.contains(where: { $0.message == "anchor" }) {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let line = try #require(log.lines.last { $0.message == "anchor" }, "no anchor was logged")
        let logged = try Anchor(parsing: try #require(line.metadata["anchor"]))
        #expect(line.metadata["position"] == String(logged.position))
        #expect(logged.events >= 1)

        // Saved to a file, the logged anchor is what `verify --anchor` checks the history against.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try line.metadata["anchor"]!.write(to: file, atomically: true, encoding: .utf8)
        let verified = try CLI(databaseURL: fixture.database.ownerConninfo)("verify", "--anchor", file.path)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }
}
