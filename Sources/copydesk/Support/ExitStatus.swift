import ArgumentParser
import Copydesk
import Editorial
import EventStore
import Foundation
import LocalPostgres
import Postgres

/// Exit statuses of `copydesk`, documented in README.md, so scripts can tell failures apart.
enum ExitStatus {
    static let failure: Int32 = 1
    static let refused: Int32 = 2
    static let conflict: Int32 = 3
    static let notFound: Int32 = 4
    static let invalidInput: Int32 = 5
    static let databaseUnavailable: Int32 = 6
    static let differences: Int32 = 7
    static let tampered: Int32 = 8
    /// `status`: the database has no Copydesk schema yet (3 would say "conflict").
    static let notMigrated: Int32 = 9
    /// A command line that is not complete or not well formed (sysexits' EX_USAGE, as ArgumentParser exits).
    static let usage: Int32 = 64
}

/// A command line missing something only known when the command runs (who is acting, say): exit 64, like a
/// usage error found while parsing.
struct UsageError: Error {
    let message: String
}

/// A line printed after a failure's own line, saying what was kept for the user (an edited text, say).
enum FailureNote {
    @TaskLocal static var text: String?
}

extension Refusal.Reason {
    /// A refusal's exit status, the same whether the refusal came from the database or a server.
    /// Every reason is listed, so that a new one cannot fall into a status nobody chose for it.
    var exitStatus: Int32 {
        switch self {
        // Over a limit (or a time already past) is a bad value, like a malformed file: the workflow
        // would take the command with a value that fits.
        case .overLimit, .notInFuture: ExitStatus.invalidInput
        case .notFound, .alreadyExists, .wrongState, .roleTooLow, .notOwnArticle, .fourEyes, .reasonRequired,
            .nothingToChange, .invalidContent, .notDueYet:
            ExitStatus.refused
        }
    }
}

/// Runs a command body, turning the errors a user can cause into one line on stderr and the
/// matching exit status (never a stack trace). With `utc`, human formats print times in UTC (`--utc`).
func reportingErrors(utc: Bool = false, _ body: () async throws -> Void) async throws {
    do {
        if utc {
            try await Output.$timeZone.withValue(TimeZone(secondsFromGMT: 0)!) { try await body() }
        } else {
            try await body()
        }
    } catch let error as UsageError {
        fail(error.message, status: ExitStatus.usage)
    } catch let error as WorkflowError {
        let status: Int32 =
            switch error {
            case .refused(let refusal): refusal.reason.exitStatus
            case .conflict: ExitStatus.conflict
            case .articleNotFound, .unknownUser: ExitStatus.notFound
            case .invalidInput, .commandIdReused: ExitStatus.invalidInput
            case .userRefused(let refusal):
                switch refusal.reason {
                case .notFound: ExitStatus.notFound
                case .alreadyExists, .invalidName, .reserved, .overLimit, .unknownToken, .invalidContent:
                    ExitStatus.invalidInput
                case .roleTooLow, .reasonRequired, .nothingToChange, .ownAccount, .disabled: ExitStatus.refused
                }
            }
        fail(error.commandLineMessage, status: status)
    } catch let error as PostgresError where error.isUnavailable {
        fail("the database is unavailable: \(error.message). Check `copydesk db status` or COPYDESK_DATABASE_URL; nothing was written",
             status: ExitStatus.databaseUnavailable)
    } catch let error as PostgresError where error.code == .undefinedTable || error.code == .undefinedFunction {
        fail("the database schema is not up to date: run `copydesk migrate`", status: ExitStatus.failure)
    } catch let error as MigrationError {
        fail(error.commandLineMessage, status: ExitStatus.failure)
    } catch let error as LocalClusterError {
        fail(error.description, status: ExitStatus.databaseUnavailable)
    } catch let error as AnchorError {
        let status =
            switch error {
            case .unreadable: ExitStatus.invalidInput
            case .unsettled: ExitStatus.failure
            }
        fail(error.description, status: status)
    } catch let error as UnreadableEvent {
        fail("\(error); nothing was changed", status: ExitStatus.failure)
    } catch let error as RemoteFailure {
        fail(error.message, status: error.status)
    }
}

/// Messages quote user text (names, reasons, file names), so the whole line goes through `TerminalText`.
private func fail(_ message: String, status: Int32) -> Never {
    var lines = "copydesk: \(TerminalText.line(message))\n"
    if let note = FailureNote.text { lines += "copydesk: \(TerminalText.line(note))\n" }
    FileHandle.standardError.write(Data(lines.utf8))
    Foundation.exit(status)
}
