import Foundation

/// The PostgreSQL server programs Copydesk runs.
struct PostgresBinaries: Sendable {
    enum Program: String, Sendable, CaseIterable {
        case initdb
        case pgCtl = "pg_ctl"
        case pgIsReady = "pg_isready"
        case pgBasebackup = "pg_basebackup"
    }

    /// The directory holding all of `Program.allCases`.
    let directory: URL

    func url(of program: Program) -> URL {
        directory.appendingPathComponent(program.rawValue, isDirectory: false)
    }

    /// The directory, if it holds every program.
    init?(directory: URL) {
        let complete = Program.allCases.allSatisfy {
            FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0.rawValue).path)
        }
        guard complete else { return nil }
        self.directory = directory
    }
}

extension LocalCluster {
    /// `COPYDESK_PG_BIN` when set, else the directory of `pg_ctl` on `PATH`, else the highest
    /// version in `/usr/lib/postgresql/*/bin`.
    func findBinaries() throws -> PostgresBinaries {
        if let configured = environment["COPYDESK_PG_BIN"], !configured.isEmpty {
            // An explicit choice is never second-guessed by falling back to another installation.
            guard let binaries = PostgresBinaries(directory: URL(fileURLWithPath: configured, isDirectory: true)) else {
                throw LocalClusterError.serverNotInstalled("COPYDESK_PG_BIN=\(configured)")
            }
            return binaries
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") where !directory.isEmpty {
            let pgCtl = URL(fileURLWithPath: String(directory), isDirectory: true).appendingPathComponent("pg_ctl")
            guard FileManager.default.isExecutableFile(atPath: pgCtl.path) else { continue }
            // /usr/local/bin/pg_ctl is often a symlink: its siblings live where it points.
            let resolved = pgCtl.resolvingSymlinksInPath().deletingLastPathComponent()
            if let binaries = PostgresBinaries(directory: resolved) { return binaries }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: installRoot.path)) ?? []
        let newestFirst = versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        for version in newestFirst {
            let directory = installRoot.appendingPathComponent(version).appendingPathComponent("bin")
            if let binaries = PostgresBinaries(directory: directory) { return binaries }
        }
        throw LocalClusterError.serverNotInstalled("PATH or \(installRoot.path)/*/bin")
    }
}
