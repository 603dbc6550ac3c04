import Foundation
import Postgres
import TestSupport
import Testing

@testable import LocalPostgres

@Suite struct LocalClusterTests {
    /// A fresh directory beside the tests' cluster: short enough for a Unix socket path, reachable by
    /// user postgres, and removed by deploy/test should a test not get to it.
    private func temporaryDirectory() throws -> URL {
        let directory = TestCluster.privateDirectory("cluster")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func startsIsIdempotentAndStops() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cluster = LocalCluster(dataDirectory: directory.appendingPathComponent("postgres"))
        #expect(try cluster.status().isInitialized == false)

        try await cluster.start()
        // Stop even when an expectation below throws, so no server outlives the test.
        defer { try? cluster.stop() }
        let running = try cluster.status()
        #expect(running.isInitialized)
        #expect(running.isRunning)
        #expect(running.pid != nil)
        #expect(running.url == cluster.connectionURL())

        let connection = try await Connection.connect(to: cluster.connectionURL())
        let result = try await connection.query("SELECT 1 AS one, current_database() AS name")
        #expect(try result.rows.first?.decode("one", as: Int.self) == 1)
        #expect(try result.rows.first?.decode("name", as: String.self) == "copydesk")
        await connection.close()

        try await cluster.start()
        #expect(try cluster.status().isRunning)
        #expect(try cluster.status().pid == running.pid)

        try cluster.stop()
        let stopped = try cluster.status()
        #expect(stopped.isInitialized)
        #expect(!stopped.isRunning)
        #expect(stopped.pid == nil)
        try cluster.stop()
    }

    @Test func missingServerBinariesNameTheInstallCommand() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let emptyBin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: emptyBin, withIntermediateDirectories: true)
        let cluster = LocalCluster(
            dataDirectory: directory.appendingPathComponent("postgres"),
            environment: ["COPYDESK_PG_BIN": emptyBin.path])

        let error = await #expect(throws: LocalClusterError.self) { try await cluster.start() }
        #expect(error?.description.contains("apt-get install postgresql") == true)
        #expect(error?.description.contains("COPYDESK_PG_BIN") == true)
    }

    @Test func noServerOnPathOrInstallRoot() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cluster = LocalCluster(
            dataDirectory: directory.appendingPathComponent("postgres"),
            environment: ["PATH": directory.path], installRoot: directory)
        let error = #expect(throws: LocalClusterError.self) { try cluster.findBinaries() }
        #expect(error?.description.contains("apt-get install postgresql") == true)
    }

    @Test func tooLongSocketPathIsRefused() async throws {
        let long = URL(fileURLWithPath: "/tmp/" + String(repeating: "d", count: 100))
        let error = await #expect(throws: LocalClusterError.self) { try await LocalCluster(dataDirectory: long).start() }
        #expect(error?.description.contains("COPYDESK_DATA_DIR") == true)
    }

    @Test func defaultDataDirectoryNeedsNoCheckout() {
        let checkout = URL(fileURLWithPath: "/src/copydesk", isDirectory: true)
        #expect(
            LocalCluster.defaultDataDirectory(environment: ["COPYDESK_DATA_DIR": "/var/tmp/x/../pg"], checkout: checkout).path
                == "/var/tmp/pg")
        #expect(
            LocalCluster.defaultDataDirectory(environment: [:], checkout: checkout).path == "/src/copydesk/.copydesk/postgres")
        // A binary copied away from its checkout: a place of the user's, never the working directory.
        let alone = LocalCluster.defaultDataDirectory(environment: ["HOME": "/home/ann"], checkout: nil).path
        #expect(alone == (geteuid() == 0 ? "/var/lib/copydesk/postgres" : "/home/ann/.local/share/copydesk/postgres"))
        if geteuid() != 0 {
            #expect(
                LocalCluster.defaultDataDirectory(environment: ["XDG_DATA_HOME": "/data"], checkout: nil).path
                    == "/data/copydesk/postgres")
        }
        // Built from this checkout, which is still here.
        #expect(LocalCluster.checkout.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent("sql").path) } == true)
    }

    @Test func urlPercentEncodesTheSocketDirectory() {
        let cluster = LocalCluster(dataDirectory: URL(fileURLWithPath: "/tmp/with space/pg"))
        #expect(cluster.connectionURL() == "postgresql:///copydesk?host=/tmp/with%20space/pg&user=postgres")
        #expect(cluster.connectionURL(database: "postgres").hasPrefix("postgresql:///postgres?"))
    }
}
