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
}

/// Runs a command body, turning the errors a user can cause into one line on stderr and the
/// matching exit status (never a stack trace).
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as WorkflowError {
        let status: Int32 =
            switch error {
            // Over a limit (or a time already past) is a bad value, like a malformed file: the workflow
            // would take the command with a value that fits.
            case .refused(let refusal) where refusal.reason == .overLimit || refusal.reason == .notInFuture:
                ExitStatus.invalidInput
            case .refused: ExitStatus.refused
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
    }
}

/// Messages quote user text (names, reasons, file names), so the whole line goes through `TerminalText`.
private func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("copydesk: \(TerminalText.line(message))\n".utf8))
    Foundation.exit(status)
}
