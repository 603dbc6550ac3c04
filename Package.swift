// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Copydesk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "copydesk", targets: ["copydesk"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // libpq, the only PostgreSQL client this project uses.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // A safe, Sendable wrapper over libpq: connections, pool, typed errors, LISTEN/NOTIFY.
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        // The pure editorial domain: articles, commands, events, roles and workflow rules. No I/O.
        .target(name: "Editorial"),
        // The append-only event store: append with expected version, read stream, gap-safe global log.
        .target(name: "EventStore", dependencies: ["Postgres"]),
        // The application layer: command service, projections, queries, users, import, migrations, local cluster.
        .target(name: "Copydesk", dependencies: ["Postgres", "EventStore", "Editorial"]),
        // The `copydesk` command-line tool.
        .executableTarget(
            name: "copydesk",
            dependencies: [
                "Copydesk",
                "Editorial", "EventStore", "Postgres",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "Copydesk", "TestSupport"]),
        .testTarget(name: "EditorialTests", dependencies: ["Editorial"]),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "Copydesk", "TestSupport"]),
        .testTarget(name: "CopydeskTests", dependencies: ["Copydesk", "TestSupport"]),
        // Starts (once per test run) the private PostgreSQL cluster the database tests use.
        .target(name: "TestSupport", dependencies: ["Copydesk", "Postgres"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
