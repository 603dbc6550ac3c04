import ArgumentParser
import Copydesk
import Editorial
import Foundation

/// `--as NAME`: the user a workflow command acts as (default: `COPYDESK_USER`).
struct ActingUserOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "The user to act as (default: the COPYDESK_USER environment variable).")
    var user: String?

    /// The acting user, looked up in the database; unknown users are refused.
    func actor(in app: CopydeskApp) async throws -> Actor {
        guard let name = user ?? ProcessInfo.processInfo.environment["COPYDESK_USER"], !name.isEmpty else {
            throw UsageError(message: "say who is acting: --as NAME or COPYDESK_USER=NAME (see `copydesk user list`)")
        }
        return try await app.users.actor(named: name)
    }
}

/// An article id given on the command line.
struct ArticleID: ExpressibleByArgument {
    let uuid: UUID

    init?(argument: String) {
        guard let uuid = UUID(uuidString: argument) else { return nil }
        self.uuid = uuid
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension Date: @retroactive ExpressibleByArgument {
    /// ISO 8601 (`2026-12-01T09:00:00Z`, with an offset, or a bare date meaning midnight UTC).
    public init?(argument: String) {
        guard let date = ISO8601.date(from: argument) else { return nil }
        self = date
    }
}

/// Reads a text file (or standard input for `-`) as UTF-8, with errors a user can act on.
func readText(_ path: String) throws -> String {
    // FileHandle rather than FileManager: it also reads pipes, such as `<(command)` and `-`.
    let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path)
    guard let handle, let data = try? handle.readToEnd() ?? Data() else {
        throw WorkflowError.invalidInput("\(path): cannot read the file; nothing was written")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw WorkflowError.invalidInput("\(path): not UTF-8 text; nothing was written")
    }
    return text
}

/// `--utc`: human formats show times in UTC instead of the local zone (`TZ`); JSON is always UTC.
struct TimeOptions: ParsableArguments {
    @Flag(help: "Show times in UTC rather than the local time zone (TZ).") var utc = false
}
