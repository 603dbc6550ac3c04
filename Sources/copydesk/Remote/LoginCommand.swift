import ArgumentParser
import Foundation

/// `copydesk login URL`: keeps a token for a Copydesk server, so that with `COPYDESK_URL` set to it
/// the workflow and query commands go through that server as the token's user.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Check a token against a Copydesk server and keep it for the remote mode.",
        discussion: """
            Asks for the token on a terminal (without showing it) or reads its first line from standard \
            input, checks it with the server (GET /me), and keeps it in credentials.json under \
            $XDG_CONFIG_HOME/copydesk (or ~/.config/copydesk), a file only you can read. Then, with \
            COPYDESK_URL=URL, every workflow and query command goes through that server as the token's user. \
            An administrator issues tokens (`copydesk user token NAME`, or POST /users/NAME/tokens).
            """)

    @Argument(help: "The server's URL, such as https://copydesk.example.org.") var url: String

    func run() async throws {
        try await reportingErrors {
            let server = try RemoteConfiguration.serverURL(url)
            let token = try Self.readToken(for: server)
            let client = RemoteClient(configuration: RemoteConfiguration(server: server, token: token))
            let user = try await client.get("/me", as: CurrentUser.self)
            var credentials = try Credentials.load()
            credentials.set(token, for: server)
            try credentials.save()
            print("Signed in to \(server) as \(TerminalText.line(user.name)) (\(user.role)).")
            if ProcessInfo.processInfo.environment["COPYDESK_URL"].flatMap({ try? RemoteConfiguration.serverURL($0) })
                != server
            {
                print("Set COPYDESK_URL=\(server) to work through it.")
            }
        }
    }

    /// The token, typed on a terminal without echo, or the first line of standard input.
    private static func readToken(for server: String) throws -> String {
        let typed: String?
        if isatty(STDIN_FILENO) == 1 {
            typed = getpass("Token for \(server): ").map { String(cString: $0) }
        } else {
            typed = readLine(strippingNewline: true)
        }
        guard let token = typed?.trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            throw RemoteFailure(
                "no token given: type it when asked, or pipe it in (`copydesk login \(server) < token-file`)",
                status: RemoteFailure.usage)
        }
        return token
    }
}

/// `copydesk logout`: forgets the token kept for a server.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Forget the token `copydesk login` kept for a server (the server's administrator can revoke it).")

    @Argument(help: "The server's URL (default: COPYDESK_URL).") var url: String?

    func run() async throws {
        try await reportingErrors {
            guard let given = url ?? ProcessInfo.processInfo.environment["COPYDESK_URL"], !given.isEmpty else {
                throw RemoteFailure(
                    "say which server: `copydesk logout URL`, or set COPYDESK_URL", status: RemoteFailure.usage)
            }
            let server = try RemoteConfiguration.serverURL(given)
            var credentials = try Credentials.load()
            guard credentials.token(for: server) != nil else {
                print("Not signed in to \(server); nothing to forget.")
                return
            }
            credentials.set(nil, for: server)
            try credentials.save()
            print("Signed out of \(server): its token is no longer kept here.")
        }
    }
}
