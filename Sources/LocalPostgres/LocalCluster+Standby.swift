import Foundation

extension LocalCluster {
    /// Makes this cluster a streaming replica of `primary`, which must be running: a base backup
    /// of it, streaming its write-ahead log, with the settings that make `start()` run it as a hot
    /// standby following `primary`. Does nothing when this cluster already exists.
    public func createAsStandby(of primary: LocalCluster) async throws {
        guard try !status().isInitialized else { return }
        let runner = try ServerProgramRunner(binaries: findBinaries())
        try createDataDirectory(owner: runner.serverUser)
        let result = try await runner.run(.pgBasebackup, [
            "--pgdata=\(dataDirectory.path)", "--host=\(primary.dataDirectory.path)", "--port=\(Self.port)",
            "--username=\(Self.superuser)", "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast",
        ])
        guard result.status == 0 else {
            throw LocalClusterError.commandFailed(
                "pg_basebackup of \(primary.dataDirectory.path) into \(dataDirectory.path)", status: result.status,
                output: result.output)
        }
        // The backup copied the whole data directory, which is also the primary's socket
        // directory: its socket's lock file (naming the primary's postmaster) would stop the
        // standby from starting, and its log is the primary's.
        for name in [".s.PGSQL.\(Self.port).lock", "server.log"] {
            try? FileManager.default.removeItem(at: file(name))
        }
    }
}
