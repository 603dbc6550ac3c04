import Copydesk
import CopydeskHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Metrics and the request log time a streamed response to its end")
struct RequestTimingTests {
    @Test("an SSE stream kept open 1.5 s is logged and measured as lasting at least that long")
    func streamTimedToItsEnd() async throws {
        let fixture = try await HTTPFixture(feedPollInterval: .milliseconds(100))
        let log = RequestLogRecorder()
        var logger = Logger(label: "copydesk-timing-tests") { _ in log.handler }
        logger.logLevel = .info
        try await fixture.application(logger: logger).test(.live) { client in
            let port = try #require(client.port)
            let headers = ["Authorization": "Bearer \(fixture.token("bob"))", "Accept": "text/event-stream"]
            let feed = try SSEClient(port: port, path: "/events", headers: headers)
            defer { feed.close() }
            try await feed.waitForHead(timeout: .seconds(10))
            #expect(feed.status == 200)
            try await Task.sleep(for: .milliseconds(1500))
            // A request answered at once is logged (just after its response is out) while the stream goes on.
            _ = try await client.send(.get, "/healthz", token: nil)
            #expect(await eventually { log.durations(path: "/healthz").count == 1 })
            #expect(log.durations(path: "/events").isEmpty, "the feed was logged while it was still streaming")
        }
        // The server has shut down gracefully, which ends the feed: only now is its request over.
        let logged = try #require(log.durations(path: "/events").first, "the feed's request was never logged")
        #expect(logged >= 1500, "logged as \(logged) ms")

        let text = fixture.metrics.registry.emitToString()
        let sum = text.split(separator: "\n").first {
            $0.hasPrefix("copydesk_http_request_duration_seconds_sum") && $0.contains("route=\"/events\"")
        }
        let seconds = try #require(sum?.split(separator: " ").last.flatMap { Double($0) }, "\(text)")
        #expect(seconds >= 1.5, "measured as \(seconds) s")
    }
}

/// Keeps the `request` lines of the request log, for tests to read.
final class RequestLogRecorder: Sendable {
    private let log = LogMessageRecorder()

    var handler: some LogHandler { log.handler }

    /// Every logged request line for `path`, its metadata as text.
    func lines(path: String) -> [[String: String]] {
        log.lines.filter { $0.message == "request" && $0.metadata["path"] == path }.map(\.metadata)
    }

    /// The `duration_ms` of every logged request for `path`, in milliseconds.
    func durations(path: String) -> [Double] {
        lines(path: path).compactMap { $0["duration_ms"].flatMap(Double.init) }
    }
}
