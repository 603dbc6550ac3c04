import Copydesk
import Editorial
import Foundation
import Timestamps

/// The editors' mode: every command goes through a Copydesk server's HTTP API as the token's user,
/// who needs no database credentials and cannot act as anyone else.
struct RemoteBackend: Backend {
    let client: RemoteClient

    init(configuration: RemoteConfiguration) {
        client = RemoteClient(configuration: configuration)
    }

    func handle(
        _ action: ArticleCommand.Action, on article: UUID, actingUser: ActingUserOptions, expectedVersion: Int64?
    ) async throws -> ArticleView {
        let route = try RemoteRoute(action, on: article)
        try await checkActingUser(actingUser)
        // One key per command: if the answer is lost and the request is sent again, the server does it once.
        var headers = [("Idempotency-Key", UUID().uuidString.lowercased())]
        if let expectedVersion { headers.append(("If-Match", "\"\(expectedVersion)\"")) }
        let subject = RemoteClient.Subject(article: article, expectedVersion: expectedVersion)
        let body = try await client.send(
            route.method, route.path, json: try route.json(), headers: headers, about: subject)
        return try client.decode(ArticleView.self, from: body)
    }

    /// `--as` (or `COPYDESK_USER`) may only name the token's own user: the token decides who acts.
    private func checkActingUser(_ actingUser: ActingUserOptions) async throws {
        guard let (name, source) = actingUser.requestedName else { return }
        let me = try await client.get("/me", as: CurrentUser.self)
        guard me.name == name else {
            throw RemoteFailure(
                "\(source) names \(name), but the token for \(client.configuration.server) is \(me.name)'s: through "
                    + "a server you act as your token's user. Drop \(source), or sign in as \(name) with "
                    + "`copydesk login \(client.configuration.server)`",
                status: RemoteFailure.usage)
        }
    }

    func article(_ id: UUID, version: Int64?, at instant: Date?) async throws -> ArticleView? {
        let query = [("version", version.map(String.init)), ("at", instant.map { Timestamp.string($0) })]
        do {
            return try await client.get(
                "/articles/\(id.lowercased)", query: query, as: ArticleView.self, about: .init(article: id))
        } catch WorkflowError.articleNotFound {
            return nil
        }
    }

    func list(_ filter: ArticleFilter) async throws -> [ArticleSummary] {
        var articles: [ArticleSummary] = []
        var cursor: String?
        repeat {
            let page = try await client.get(
                "/articles",
                query: [
                    ("state", filter.state), ("author", filter.author), ("section", filter.section),
                    ("search", filter.search), ("live", filter.live.map(String.init)),
                    ("limit", String(min(500, filter.limit - articles.count))), ("cursor", cursor),
                ],
                as: ArticlePage.self)
            articles += page.items
            cursor = page.nextCursor
        } while cursor != nil && articles.count < filter.limit
        return Array(articles.prefix(filter.limit))
    }

    func history(_ id: UUID) async throws -> [HistoryEntry] {
        do {
            return try await client.get(
                "/articles/\(id.lowercased)/history", as: [HistoryEntry].self, about: .init(article: id))
        } catch WorkflowError.articleNotFound {
            return []
        }
    }

    func diff(_ id: UUID, from: Int64?, to: Int64?) async throws -> ArticleDiff {
        try await client.get(
            "/articles/\(id.lowercased)/diff", query: [("from", from.map(String.init)), ("to", to.map(String.init))],
            as: ArticleDiff.self, about: .init(article: id))
    }

    func audit(_ filter: AuditFilter) -> any AsyncSequence<AuditRecord, any Error> {
        RemoteAuditRecords(
            client: client,
            query: [
                ("actor", filter.actor), ("article", filter.articleId?.lowercased), ("user", filter.user),
                ("type", filter.type), ("since", filter.since.map { Timestamp.string($0) }),
                ("until", filter.until.map { Timestamp.string($0) }),
            ])
    }
}

/// `GET /me`: who the token is.
struct CurrentUser: Decodable, Sendable {
    let name: String
    let role: String
}

/// One page of `GET /articles`.
private struct ArticlePage: Decodable {
    let items: [ArticleSummary]
    let nextCursor: String?
}

extension ActingUserOptions {
    /// The user `--as` or `COPYDESK_USER` names, and which of the two named them; nil when neither does.
    var requestedName: (name: String, source: String)? {
        if let user, !user.isEmpty { return (user, "--as") }
        if let name = ProcessInfo.processInfo.environment["COPYDESK_USER"], !name.isEmpty {
            return (name, "COPYDESK_USER")
        }
        return nil
    }
}
