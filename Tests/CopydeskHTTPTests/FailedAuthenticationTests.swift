import Copydesk
@testable import CopydeskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import TestSupport

/// Guessing tokens is slow and visible: failures are throttled per client address and logged
/// with the address and the token's lookup id, never its secret.
@Suite("Failed authentication")
struct FailedAuthenticationTests {
    static let secret = String(String(repeating: "5ec7e7", count: 11).prefix(64))
    static let badToken = "cd_guessguess000001_\(secret)"

    @Test("the 20th bad token in a second from one address gets 429; another address's good token gets 200")
    func throttledPerAddress() async throws {
        let fixture = try await HTTPFixture()
        let log = LogMessageRecorder()
        var logger = Logger(label: "copydesk-auth-tests") { _ in log.handler }
        logger.logLevel = .info
        var configuration = fixture.configuration
        configuration.clientAddresses = ClientAddressSource(trustForwardedFor: true)
        // The default burst, with a refill slow enough that a loaded test machine cannot earn
        // the guesser another attempt between requests (the refill itself is tested below).
        #expect(configuration.failedAuthenticationBurst == 10)
        configuration.failedAuthenticationRefill = .seconds(60)
        let application = buildApplication(
            app: fixture.app, configuration: configuration, logger: logger, runScheduler: false)
        let guesser: HTTPFields = [.xForwardedFor: "203.0.113.7"]
        let colleague: HTTPFields = [.xForwardedFor: "10.0.0.1, 198.51.100.2"]
        try await application.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 1...20 {
                statuses.append(try await client.send(.get, "/articles", token: Self.badToken, headers: guesser).status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == .unauthorized }, "\(statuses.map(\.code))")
            #expect(statuses.last == .tooManyRequests, "\(statuses.map(\.code))")

            let refused = try await client.send(.get, "/articles", token: Self.badToken, headers: guesser)
            expectProblem(refused, .tooManyRequests, "the guesser")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) }, "no Retry-After")
            #expect((1...60).contains(retryAfter))
            // Refused before the token is looked at: the guesser's good token waits too.
            let bob = fixture.token("bob")
            #expect(try await client.send(.get, "/articles", token: bob, headers: guesser).status == .tooManyRequests)
            // Another address is not affected.
            #expect(try await client.send(.get, "/articles", token: bob, headers: colleague).status == .ok)
            // The open routes are not throttled.
            #expect(try await client.send(.get, "/healthz", token: nil, headers: guesser).status == .ok)
        }
        let failures = log.lines.filter { $0.message == "authentication failed" }
        #expect(failures.count >= 10 && failures.count < 20, "\(failures.count) failures logged")
        #expect(failures.allSatisfy { $0.metadata["client"] == "203.0.113.7" }, "\(failures)")
        #expect(failures.allSatisfy { $0.metadata["token_id"] == "guessguess000001" }, "\(failures)")
        #expect(!log.lines.contains { "\($0)".contains(Self.secret) }, "the secret reached the log")
    }

    @Test("X-Forwarded-For is ignored unless the server is told it sits behind a proxy")
    func forwardedForIgnoredByDefault() async throws {
        let fixture = try await HTTPFixture()
        var configuration = fixture.configuration
        configuration.failedAuthenticationRefill = .seconds(60)
        let application = buildApplication(
            app: fixture.app, configuration: configuration, logger: quietLogger, runScheduler: false)
        try await application.test(.router) { client in
            // Every request has the same (absent) peer, whatever it claims.
            var statuses: [Int] = []
            for n in 1...11 {
                let claim: HTTPFields = [.xForwardedFor: "192.0.2.\(n)"]
                statuses.append(try await client.send(.get, "/articles", token: Self.badToken, headers: claim).status.code)
            }
            #expect(statuses == Array(repeating: 401, count: 10) + [429])
        }
    }

    @Test("a failure is logged with the connection's peer address")
    func peerAddressLogged() async throws {
        let fixture = try await HTTPFixture()
        let log = LogMessageRecorder()
        var logger = Logger(label: "copydesk-auth-tests") { _ in log.handler }
        logger.logLevel = .info
        try await fixture.application(logger: logger).test(.live) { client in
            let response = try await client.send(.get, "/articles", token: Self.badToken)
            #expect(response.status == .unauthorized)
        }
        let failure = try #require(log.lines.first { $0.message == "authentication failed" })
        #expect(failure.metadata["client"] == "127.0.0.1", "\(failure)")
    }

    @Test("the lookup id is logged only from a token of the right shape")
    func lookupId() {
        #expect(AuthenticationMiddleware.lookupId(of: Self.badToken) == "guessguess000001")
        #expect(AuthenticationMiddleware.lookupId(of: "hunter2") == "malformed")
        #expect(AuthenticationMiddleware.lookupId(of: "cd_\u{1B}[31mguessguess0_\(Self.secret)") == "malformed")
    }

    @Test("the throttle refills, and its table stays bounded")
    func throttleRefillsAndStaysBounded() {
        let throttle = FailedAuthenticationThrottle(burst: 3, refillInterval: .seconds(2), capacity: 100)
        let start = ContinuousClock.now
        for _ in 1...3 { throttle.recordFailure("a", now: start) }
        let wait = throttle.retryAfter("a", now: start)
        #expect(wait == .seconds(2))
        #expect(throttle.retryAfter("b", now: start) == nil)
        #expect(throttle.retryAfter("a", now: start + .seconds(2)) == nil, "one attempt is back after the interval")
        throttle.recordFailure("a", now: start + .seconds(2))
        #expect(throttle.retryAfter("a", now: start + .seconds(3)) != nil)

        for n in 0..<1_000 { throttle.recordFailure("addr-\(n)", now: start + .milliseconds(n)) }
        #expect(throttle.count <= 100)
        // The newest failures are the ones remembered.
        #expect(throttle.retryAfter("addr-999", now: start + .seconds(1)) == nil)  // one failure of three: not yet
        for _ in 1...2 { throttle.recordFailure("addr-999", now: start + .seconds(1)) }
        #expect(throttle.retryAfter("addr-999", now: start + .seconds(1)) != nil)
    }
}

/// Every log message with its metadata, for tests to read.
final class LogMessageRecorder: Sendable {
    struct Line: Sendable, CustomStringConvertible {
        let message: String
        let metadata: [String: String]
        var description: String { "\(message) \(metadata)" }
    }

    private let storage = Mutex<[Line]>([])

    var lines: [Line] { storage.withLock { $0 } }
    var handler: some LogHandler { Handler(recorder: self) }

    fileprivate func append(_ line: Line) { storage.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let recorder: LogMessageRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append(Line(message: event.message.description, metadata: merged.mapValues(\.description)))
        }
    }
}
