// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Copydesk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "copydesk", targets: ["copydesk"]),
        .executable(name: "copydesk-bench", targets: ["CopydeskBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // libpq, the only PostgreSQL client this project uses.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // The one way an instant is written as text (events, JSON, CSV, tables, COPY). Pure, no I/O.
        .target(name: "Timestamps"),
        // A safe, Sendable wrapper over libpq: connections, pool, typed errors, LISTEN/NOTIFY.
        .target(name: "Postgres", dependencies: ["CLibPQ", "Timestamps"]),
        // The pure editorial domain: articles, commands, events, roles and workflow rules. No I/O.
        .target(name: "Editorial", dependencies: ["Timestamps"]),
        // The append-only event store: append with expected version, read stream, gap-safe global log;
        // the only code that touches its tables (events, streams, commands).
        .target(
            name: "EventStore", dependencies: ["Postgres", "Timestamps", .product(name: "Crypto", package: "swift-crypto")]),
        // The application layer: command service, projections, queries, users, import, migrations.
        // It never starts a process: which database to use when none is configured is the executables' choice.
        // The migrations are compiled into it (EmbeddedMigrations, from Sources/Copydesk/sql, a link to sql/),
        // so a binary needs no checkout.
        .target(
            name: "Copydesk",
            dependencies: [
                "Postgres", "EventStore", "Editorial", "Timestamps",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            plugins: ["EmbeddedMigrations"]
        ),
        // Generates a Swift source holding every sql/*.sql file, byte for byte; sql/ stays the only copy
        // in the repository. Adding, editing or removing a migration rebuilds.
        .executableTarget(name: "MigrationEmbedder"),
        .plugin(
            name: "EmbeddedMigrations",
            capability: .buildTool(),
            dependencies: ["MigrationEmbedder"],
            path: "Sources/EmbeddedMigrationsPlugin"
        ),
        // The private local PostgreSQL cluster (initdb, pg_ctl, as user postgres under root) and the
        // process's peak memory: for the CLI, the bench and the tests, never for the application library.
        .target(
            name: "LocalPostgres",
            dependencies: [
                "Postgres",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The desk: server-rendered pages for editors (sign-in with sessions, CSRF, templates, static files),
        // on the same application layer as the API. The API's router mounts it under /desk; it knows nothing
        // of the API (its request context is a protocol the API's context adopts).
        .target(
            name: "CopydeskDesk",
            dependencies: [
                "Copydesk", "Editorial", "EventStore", "Postgres", "Timestamps",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Static")]
        ),
        // The HTTP API on Hummingbird 2: routes, auth, problem+json errors, SSE feed, metrics.
        .target(
            name: "CopydeskHTTP",
            dependencies: [
                "Copydesk", "CopydeskDesk", "Editorial", "EventStore", "Postgres", "Timestamps",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.yaml")]
        ),
        // The `copydesk` command-line tool; with COPYDESK_URL its workflow and query commands go through a server's
        // HTTP API, otherwise to the database (without COPYDESK_DATABASE_URL, the private local cluster it starts).
        .executableTarget(
            name: "copydesk",
            dependencies: [
                "Copydesk", "CopydeskHTTP",
                "Editorial", "EventStore", "LocalPostgres", "Postgres", "Timestamps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The remote mode's client of the HTTP API (already built for the bench).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `copydesk-bench`: Copydesk beside raw PostgreSQL in the same run (run in release mode).
        .executableTarget(
            name: "CopydeskBench",
            dependencies: [
                "Copydesk", "CopydeskHTTP", "Editorial", "EventStore", "LocalPostgres", "Postgres", "Timestamps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "Copydesk", "LocalPostgres", "TestSupport"]),
        .testTarget(name: "EditorialTests", dependencies: ["Editorial", "Timestamps"]),
        .testTarget(name: "TimestampsTests", dependencies: ["Timestamps"]),
        .testTarget(
            name: "EventStoreTests",
            dependencies: [
                "EventStore", "Copydesk", "LocalPostgres", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(
            name: "CopydeskTests",
            dependencies: [
                "Copydesk", "copydesk", "EventStore", "Editorial", "LocalPostgres", "Postgres", "Timestamps",
                "TestSupport",
            ]),
        .testTarget(name: "LocalPostgresTests", dependencies: ["LocalPostgres", "Postgres", "TestSupport"]),
        .testTarget(
            name: "CopydeskHTTPTests",
            dependencies: [
                "CopydeskHTTP", "CopydeskDesk", "Copydesk", "Editorial", "LocalPostgres", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The private PostgreSQL cluster the database tests share (started on first use, stopped and removed
        // when the run ends) and their databases, copies of one migrated template.
        .target(name: "TestSupport", dependencies: ["Copydesk", "Editorial", "LocalPostgres", "Postgres"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
