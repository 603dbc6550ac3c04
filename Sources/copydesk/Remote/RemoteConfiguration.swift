import Foundation

/// The server the remote mode talks to (`COPYDESK_URL`) and the bearer token it acts with
/// (`COPYDESK_TOKEN`, or the one `copydesk login` stored for that server).
struct RemoteConfiguration: Sendable {
    /// The server's base URL without a trailing slash, such as `https://copydesk.example.org`.
    let server: String
    let token: String

    /// The remote mode's configuration when `COPYDESK_URL` is set, nil when it is not (the direct mode).
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> RemoteConfiguration?
    {
        guard let url = environment["COPYDESK_URL"], !url.isEmpty else { return nil }
        let server = try serverURL(url)
        if let token = environment["COPYDESK_TOKEN"], !token.isEmpty {
            return RemoteConfiguration(server: server, token: token)
        }
        guard let token = try Credentials.load().token(for: server) else {
            throw RemoteFailure(
                "COPYDESK_URL is \(server), but there is no token for it: run `copydesk login \(server)` "
                    + "or set COPYDESK_TOKEN (an administrator issues tokens)",
                status: RemoteFailure.usage)
        }
        return RemoteConfiguration(server: server, token: token)
    }

    /// `url` as a base URL: http or https, a host, no query; the trailing slash dropped so that
    /// paths append to it.
    static func serverURL(_ url: String) throws -> String {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false, components.query == nil
        else {
            throw RemoteFailure(
                "\"\(url)\" is not a Copydesk server's URL; give one such as https://copydesk.example.org "
                    + "or http://127.0.0.1:8080",
                status: RemoteFailure.usage)
        }
        var server = trimmed
        while server.hasSuffix("/") { server.removeLast() }
        return server
    }
}

extension RemoteConfiguration {
    /// Operator commands work on the database itself. With `COPYDESK_URL` set and no
    /// `COPYDESK_DATABASE_URL`, this is an editor's machine: say so rather than start a private
    /// local cluster there.
    static func refuseOperatorCommand(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        arguments: [String] = CommandLine.arguments
    ) throws {
        guard let url = environment["COPYDESK_URL"], !url.isEmpty else { return }
        let command = arguments.dropFirst().first { !$0.hasPrefix("-") }.map { "`copydesk \($0)`" } ?? "this command"
        throw RemoteFailure(
            "\(command) is an operator command: it works on the database directly, never through the server at "
                + "COPYDESK_URL (\(url)). Set COPYDESK_DATABASE_URL to run it; the workflow and query commands "
                + "(draft, edit, submit, ..., show, list, history, diff, audit) go through the server",
            status: ExitStatus.databaseUnavailable)
    }
}
