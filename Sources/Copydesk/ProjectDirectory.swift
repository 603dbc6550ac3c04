import Foundation

/// Where Copydesk finds its own files (`sql/`, `seeds/`) and keeps its local database.
public enum ProjectDirectory {
    /// `COPYDESK_HOME` when set, else the checkout this binary was built from.
    ///
    /// Built from source (the way Copydesk is run and tested), the checkout is known at compile
    /// time; an installed binary sets `COPYDESK_HOME` to the directory holding `sql/`.
    public static var root: URL {
        if let home = ProcessInfo.processInfo.environment["COPYDESK_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        // This file is Sources/Copydesk/ProjectDirectory.swift: the root is three levels up.
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The numbered migrations applied by `copydesk migrate`.
    public static var migrations: URL { root.appendingPathComponent("sql", isDirectory: true) }
}
