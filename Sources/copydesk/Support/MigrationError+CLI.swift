import Copydesk

extension MigrationError {
    /// The error as the command line says it: the facts, then the command that helps.
    var commandLineMessage: String {
        switch self {
        case .notMigrated:
            description + ": run `copydesk migrate`"
        case .directoryUnreadable, .badFileName, .duplicateVersion, .changedAfterApplying, .failed:
            description
        }
    }
}
