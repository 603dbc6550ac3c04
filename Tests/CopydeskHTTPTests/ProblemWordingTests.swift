import Copydesk
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import CopydeskHTTP

/// Problem details speak HTTP: routes, headers and JSON types. The CLI's commands and flags, and
/// Swift's type names, mean nothing to an API client.
@Suite("HTTP problem details: no CLI advice, no Swift types")
struct ProblemWordingTests {
    /// Words that belong to the command line or to Swift, never to an API client.
    static let foreignWords = [
        "copydesk", "--", "Array<", "Dictionary<", "String", "Int64", "Int32", "Optional", "Swift", "Any>",
    ]

    /// Checks that `response` is a problem whose title and detail use none of `foreignWords`.
    @discardableResult
    static func expectHTTPWords(
        _ response: TestResponse, _ status: HTTPResponse.Status, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        let problem = expectProblem(response, status, what, sourceLocation: sourceLocation)
        let text = "\(problem["title"] ?? "") \(problem["detail"] ?? "")"
        for word in foreignWords {
            #expect(!text.contains(word), "\(what): \"\(word)\" in \(text)", sourceLocation: sourceLocation)
        }
        return problem["detail"] as? String ?? ""
    }

    @Test("every error the API can be provoked into is worded for HTTP")
    func everyProvokedError() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let alice = fixture.token("alice")
            let bob = fixture.token("bob")
            let carol = fixture.token("carol")
            let (id, drafted) = try await client.draft(token: alice, title: "Слова", body: "Текст.")
            let unknown = UUID().uuidString.lowercased()

            // 404: unknown and malformed articles, unknown routes.
            for (method, path) in [
                (HTTPRequest.Method.get, "/articles/\(unknown)"), (.get, "/articles/\(unknown)/history"),
                (.get, "/articles/\(unknown)/diff"), (.post, "/articles/\(unknown)/submit"),
                (.get, "/articles/not-a-uuid"), (.get, "/no-such-route"),
            ] {
                Self.expectHTTPWords(try await client.send(method, path, token: bob), .notFound, "\(method) \(path)")
            }
            let missing = Self.expectHTTPWords(
                try await client.send(.get, "/articles/\(unknown)", token: bob), .notFound, "unknown article")
            #expect(missing.contains(unknown) && missing.contains("GET /articles"), "\(missing)")

            // 412: a stale If-Match names the current version and the header to send.
            let stale = try #require(drafted.headers[.eTag])
            #expect(try await client.send(.patch, "/articles/\(id)", token: alice, json: #"{"title": "Слова 2"}"#).status == .ok)
            let precondition = Self.expectHTTPWords(
                try await client.send(
                    .patch, "/articles/\(id)", token: alice, json: #"{"title": "Слова 3"}"#, headers: [.ifMatch: stale]),
                .preconditionFailed, "stale If-Match")
            #expect(precondition.contains("If-Match: \"2\"") && precondition.contains("/articles/\(id)"), "\(precondition)")

            // Refusals by the workflow: 409 state, 403 role, 422 missing reason, blank title, empty edit.
            Self.expectHTTPWords(try await client.send(.post, "/articles/\(id)/publish", token: carol), .conflict, "publish a draft")
            #expect(try await client.send(.post, "/articles/\(id)/submit", token: alice).status == .ok)
            Self.expectHTTPWords(try await client.send(.post, "/articles/\(id)/approve", token: alice), .forbidden, "author approving")
            Self.expectHTTPWords(
                try await client.send(.post, "/articles/\(id)/request-changes", token: bob, json: #"{"reason": " "}"#),
                .unprocessableContent, "blank reason")
            Self.expectHTTPWords(
                try await client.send(.post, "/articles", token: alice, json: #"{"title": " "}"#), .unprocessableContent,
                "blank title")
            Self.expectHTTPWords(
                try await client.send(.patch, "/articles/\(id)", token: bob, json: "{}"), .unprocessableContent, "empty edit")

            // Invalid input from the application layer.
            Self.expectHTTPWords(
                try await client.send(.get, "/articles/\(id)?version=9", token: bob), .unprocessableContent, "no version 9")
            Self.expectHTTPWords(
                try await client.send(.get, "/articles/\(id)?at=2000-01-01T00:00:00Z", token: bob), .unprocessableContent,
                "before the draft")

            // 401: no token, a token of nobody.
            Self.expectHTTPWords(try await client.send(.get, "/articles", token: nil), .unauthorized, "no token")
            Self.expectHTTPWords(try await client.send(.get, "/articles", token: "cd_nobody_x"), .unauthorized, "unknown token")

            // 400: malformed JSON, invalid UTF-8, bad headers and query parameters.
            Self.expectHTTPWords(
                try await client.send(.post, "/articles", token: alice, json: #"{"title": "#), .badRequest, "malformed JSON")
            Self.expectHTTPWords(
                try await client.send(.post, "/articles", token: alice, bytes: Array(#"{"title": ""#.utf8) + [0xFF] + Array(#""}"#.utf8)),
                .badRequest, "invalid UTF-8")
            Self.expectHTTPWords(
                try await client.send(.post, "/articles/\(id)/submit", token: alice, headers: [.ifMatch: "x"]), .badRequest,
                "bad If-Match")
            Self.expectHTTPWords(
                try await client.send(
                    .post, "/articles", token: alice, json: #"{"title": "x"}"#,
                    headers: [.testIdempotencyKey: String(repeating: "k", count: 300)]),
                .badRequest, "long Idempotency-Key")
            for query in [
                "/articles?state=live", "/articles?limit=0", "/articles?cursor=zzz", "/articles/\(id)?at=yesterday",
                "/articles/\(id)?version=x", "/articles/\(id)?version=1&at=2026-01-01", "/articles/\(id)/diff?from=1",
                "/audit?since=yesterday", "/audit?article=nope", "/events?after=nope", "/events?limit=0",
            ] {
                Self.expectHTTPWords(try await client.send(.get, query, token: bob), .badRequest, query)
            }

            // 405 and 413 come from the HTTP layer.
            Self.expectHTTPWords(try await client.send(.put, "/articles/\(id)", token: bob, json: "{}"), .methodNotAllowed, "PUT")
        }
    }

    @Test("a wrong JSON type names the field and the JSON type it takes, for each type a field may be sent")
    func bodyTypeErrors() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let alice = fixture.token("alice")
            let bob = fixture.token("bob")
            let (id, _) = try await client.draft(token: alice, title: "Типы")
            #expect(try await client.send(.post, "/articles/\(id)/submit", token: alice).status == .ok)
            let wrongValues = ["5", "1.5", "true", "[]", "{}", #"["a"]"#, "null"]
            // Fields that take a string: every other JSON type is refused with "must be a string".
            let stringFields: [(HTTPRequest.Method, String, String, String)] = [
                (.post, "/articles", "title", #""title": "#), (.post, "/articles", "lead", #""title": "x", "lead": "#),
                (.patch, "/articles/\(id)", "body", #""body": "#), (.patch, "/articles/\(id)", "note", #""title": "y", "note": "#),
                (.post, "/articles/\(id)/request-changes", "reason", #""reason": "#),
                (.post, "/articles/\(id)/comments", "text", #""text": "#), (.post, "/articles/\(id)/approve", "note", #""note": "#),
            ]
            for (method, path, field, prefix) in stringFields {
                for value in wrongValues {
                    // null is "absent" for an optional field, so only required ones refuse it.
                    if value == "null", !["title", "reason", "text"].contains(field) { continue }
                    let json = "{\(prefix)\(value)}"
                    let detail = Self.expectHTTPWords(
                        try await client.send(method, path, token: bob, json: json), .unprocessableContent, "\(path) \(json)")
                    #expect(detail == "Field \"\(field)\" must be a string.", "\(path) \(json): \(detail)")
                }
            }
            // Tags take an array of strings: a string, a number, an object, or an array holding anything else.
            for value in [#""city""#, "5", "true", "{}", "[1]", "[null]", #"[["a"]]"#, #"[{"a": 1}]"#] {
                for (method, path, json) in [
                    (HTTPRequest.Method.post, "/articles", #"{"title": "x", "tags": \#(value)}"#),
                    (.patch, "/articles/\(id)", #"{"tags": \#(value)}"#),
                ] {
                    let detail = Self.expectHTTPWords(
                        try await client.send(method, path, token: bob, json: json), .unprocessableContent, "\(path) \(json)")
                    #expect(detail == "Field \"tags\" must be an array of strings.", "\(json): \(detail)")
                }
            }
            // A missing required field, an unknown field, a body that is not an object.
            let required = Self.expectHTTPWords(
                try await client.send(.post, "/articles", token: alice, json: #"{"lead": "x"}"#), .unprocessableContent,
                "no title")
            #expect(required == "Field \"title\" is required.")
            let unknown = Self.expectHTTPWords(
                try await client.send(.post, "/articles", token: alice, json: #"{"title": "x", "colour": 1}"#),
                .unprocessableContent, "unknown field")
            #expect(unknown.contains("\"colour\"") && unknown.contains("\"tags\" (an array of strings)"), "\(unknown)")
            Self.expectHTTPWords(
                try await client.send(.post, "/articles", token: alice, json: #"["title"]"#), .unprocessableContent, "array body")
            Self.expectHTTPWords(
                try await client.send(.post, "/articles/\(id)/publish", token: fixture.token("carol"), json: #"{"at": 5}"#),
                .unprocessableContent, "publish at a number")
        }
    }

    @Test("every workflow error, including those a test cannot easily provoke, is worded for HTTP")
    func everyWorkflowError() {
        let article = UUID()
        let refusal = Refusal(
            reason: .wrongState, command: .publish, status: .draft, allowed: [.edit, .submit],
            actor: Actor(name: "carol", role: .publisher), message: "the article is draft; publishing needs an approved article")
        let errors: [WorkflowError] = [
            .refused(refusal), .conflict(article: article, expected: 2, actual: 3), .articleNotFound(article),
            .unknownUser("nobody"), .invalidInput("article \(article.lowercased) has versions 1...3; there is no version 9"),
            .commandIdReused(article),
        ]
        for error in errors {
            for conditional in [false, true] {
                let problem = ProblemMiddleware<CopydeskRequestContext>.problem(for: error, conditional: conditional)
                for word in Self.foreignWords {
                    #expect(!problem.detail.contains(word), "\(error): \"\(word)\" in \(problem.detail)")
                }
            }
        }
        let kept = ProblemMiddleware<CopydeskRequestContext>.problem(
            for: .conflict(article: article, expected: 2, actual: 3), conditional: false)
        #expect(kept.status == .conflict && kept.detail.contains("version 3"), "\(kept.detail)")
    }
}
