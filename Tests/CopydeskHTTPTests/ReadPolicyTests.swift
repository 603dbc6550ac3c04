import Copydesk
@testable import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

/// The read policy, as README's route × role table states it, checked on every route of
/// openapi.yaml with every role and without a token.
@Suite("Read policy")
struct ReadPolicyTests {
    /// Routes answered without a token.
    static let open: Set<String> = ["/healthz", "/readyz", "/metrics", "/openapi.yaml"]
    /// Read routes that need more than a signed-in user (README's table; every other GET: any role).
    static let leastRole: [String: Role] = [
        "/audit": .editor, "/events": .editor, "/users": .admin, "/users/{name}": .admin,
    ]

    @Test("every route of openapi.yaml answers every role as the table says")
    func everyRouteEveryRole() async throws {
        let fixture = try await HTTPFixture()
        let tokens: [Role: String] = [
            .author: fixture.token("alice"), .editor: fixture.token("bob"), .publisher: fixture.token("carol"),
            .admin: try await fixture.app.users.add(name: "ada", role: .admin),
        ]
        let described = try OpenAPIRoute.described(in: OpenAPITests.specFile())
        #expect(described.contains(.init(method: "GET", path: "/audit")))
        #expect(Set(ReadPolicy.minimumRoles.keys) == Set(Self.leastRole.keys), "the table in the test and the code differ")
        try await fixture.application().test(.router) { client in
            // One article with two versions, so that show, history and diff have something to answer.
            let (id, _) = try await client.draft(token: tokens[.author]!, title: "Policy")
            let edited = try await client.send(.patch, "/articles/\(id)", token: tokens[.author]!, json: #"{"lead": "x"}"#)
            #expect(edited.status == .ok, "edit: \(edited.text)")

            for route in described.sorted() {
                let method = try #require(HTTPRequest.Method(route.method))
                let isRead = method == .get
                // Reads name the real article; commands a missing one, so that none of them changes it.
                let uri = route.path.replacingOccurrences(
                    of: "{id}", with: isRead ? id : UUID().uuidString.lowercased()
                ).replacingOccurrences(of: "{name}", with: isRead ? "alice" : "nobody")
                    .replacingOccurrences(of: "{token}", with: "0011223344556677")
                let body = isRead ? nil : "{}"
                for role in [nil] + Role.allCases {
                    let who = "\(route) as \(role?.rawValue ?? "nobody")"
                    let response = try await client.send(method, uri, token: role.map { tokens[$0]! }, json: body)
                    if Self.open.contains(route.path) {
                        #expect((200..<300).contains(response.status.code), "\(who): \(response.status.code)")
                    } else if role == nil {
                        expectProblem(response, .unauthorized, who)
                    } else if isRead, let role {
                        let needed = Self.leastRole[route.path] ?? .author
                        if role >= needed {
                            #expect((200..<300).contains(response.status.code), "\(who): \(response.status.code) \(response.text)")
                        } else {
                            let problem = expectProblem(response, .forbidden, who)
                            #expect(problem["requiredRole"] as? String == needed.rawValue, "\(who): \(problem)")
                            #expect((problem["detail"] as? String)?.contains(needed.rawValue) == true, "\(who): \(problem)")
                        }
                    } else {
                        // Commands: the decider answers (404 for the missing article, 4xx for the
                        // body), never the read policy.
                        #expect(response.status != .unauthorized, "\(who): \(response.text)")
                        #expect(!response.text.contains("problems/role-required"), "\(who): \(response.text)")
                    }
                }
            }
        }
    }

    @Test("an author gets 403 from /audit and /events, in every format, SSE included")
    func authorRefusedTheFeeds() async throws {
        let fixture = try await HTTPFixture()
        let alice = fixture.token("alice")
        try await fixture.application().test(.router) { client in
            for (uri, accept) in [
                ("/audit", "application/x-ndjson"), ("/audit", "text/csv"), ("/events", "application/x-ndjson"),
                ("/events", "text/event-stream"),
            ] {
                let response = try await client.send(.get, uri, token: alice, headers: [.accept: accept])
                let problem = expectProblem(response, .forbidden, "\(uri) \(accept)")
                #expect(problem["type"] as? String == "https://copydesk.dev/problems/role-required")
                #expect(problem["requiredRole"] as? String == "editor")
                #expect(!response.text.contains("Article"), "a refused feed leaked events: \(response.text)")
            }
            // The same author still reads articles.
            #expect(try await client.send(.get, "/articles", token: alice).status == .ok)
        }
    }
}
