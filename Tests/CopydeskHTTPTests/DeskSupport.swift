import Copydesk
import CopydeskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The desk's test users all sign in with this password (set at bcrypt's lowest cost, 4).
let deskPassword = "correct horse battery"

extension HTTPFixture {
    /// Gives every fixture user the desk password.
    func setDeskPasswords() async throws {
        let passwords = Passwords(pool: app.pool, cost: 4)
        for name in tokens.keys { try await passwords.set(name: name, password: deskPassword) }
    }
}

/// A browser's view of the desk in a test: its session cookie and the CSRF token of the last page.
struct DeskBrowser {
    let client: any TestClientProtocol
    var cookie: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// Signs in as `name`; expects the 303 and keeps the session cookie.
    mutating func signIn(
        _ name: String, password: String = deskPassword, sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        let response = try await postForm("/desk/sign-in", ["name": name, "password": password])
        #expect(response.status == .seeOther, "sign-in as \(name): \(response.status)", sourceLocation: sourceLocation)
        let setCookie = try #require(response.headers[.setCookie], sourceLocation: sourceLocation)
        cookie = String(setCookie.split(separator: ";")[0])
    }

    func get(_ uri: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await client.executeRequest(uri: uri, method: .get, headers: headers, body: nil)
    }

    /// POSTs a form (URL-encoded) with the session cookie.
    func postForm(_ uri: String, _ fields: [String: String]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let body = fields.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }
            .joined(separator: "&")
        return try await client.executeRequest(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// The CSRF token that the page at `uri` puts in its forms.
    func csrf(on uri: String = "/desk", sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let page = try await get(uri).text
        let match = try #require(
            page.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/), sourceLocation: sourceLocation)
        return String(match.1)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension String {
    /// The inner HTML of the element with `id` up to its first closing `</tag>` (enough for lists).
    func element(id: String, tag: String) -> String? {
        guard let start = range(of: "id=\"\(id)\"") else { return nil }
        guard let end = self[start.upperBound...].range(of: "</\(tag)>") else { return nil }
        return String(self[start.upperBound..<end.lowerBound])
    }
}
