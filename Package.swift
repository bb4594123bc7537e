// swift-tools-version:6.0
import PackageDescription

/// swift-fxa: a Firefox Accounts compatible provider (`fxa-server`) and the
/// relying-party kit (`FxAClient`, `FxAVapor`). See docs/ and
/// ../shared/docs/ARCHITECTURE.md for the layout these targets follow.
let package = Package(
    name: "swift-fxa",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fxa-server", targets: ["fxa-server"]),
        .executable(name: "fxa-notes-example", targets: ["fxa-notes-example"]),
        .library(name: "FxACore", targets: ["FxACore"]),
        .library(name: "FxAClient", targets: ["FxAClient"]),
        .library(name: "FxAVapor", targets: ["FxAVapor"]),
        .library(name: "FxAServer", targets: ["FxAServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.50.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.10.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.1.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.1.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
        // Property-based fuzzing of the request parsers (tests only).
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "FxACore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .target(
            name: "FxAStore",
            dependencies: [
                "FxACore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                // Only to explain connection failures (DatabaseFailure).
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Also brings its C module VaporCSQLite, the SQLite that the
                // direct connections (Database/Direct) drive.
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FxAStoreConformance",
            dependencies: [
                "FxAStore",
                "FxACore",
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FxAServer",
            dependencies: [
                "FxACore",
                "FxAStore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Leaf", package: "leaf"),
            ],
            // The pages' Leaf templates, compiled into the binary (PageTemplate).
            resources: [.embedInCode("Templates"), .embedInCode("Assets")]
        ),
        // Sets Swift's global-executor hook where dlsym cannot find it
        // (static-runtime builds); see EventLoopConcurrency.
        .target(name: "FxARuntimeHook"),
        .executableTarget(
            name: "fxa-server",
            dependencies: [
                "FxAServer",
                "FxAStore",
                "FxARuntimeHook",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The scrypt and RS256 baselines of bench/run and bench/events; not shipped.
        .executableTarget(
            name: "fxa-bench",
            dependencies: [
                "FxACore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "FxAClient",
            dependencies: [
                "FxACore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "FxAVapor",
            dependencies: [
                "FxAClient",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The example relying party (Examples/FxANotes): a library the
        // end-to-end tests start in-process, and its executable.
        .target(
            name: "FxANotesApp",
            dependencies: [
                "FxAVapor",
                "FxACore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Examples/FxANotes/Sources/FxANotesApp"
        ),
        .executableTarget(
            name: "fxa-notes-example",
            dependencies: ["FxANotesApp", .product(name: "Vapor", package: "vapor")],
            path: "Examples/FxANotes/Sources/fxa-notes-example"
        ),
        .testTarget(
            name: "FxACoreTests",
            dependencies: [
                "FxACore",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "FxAStoreTests",
            dependencies: [
                "FxAStore",
                "FxAStoreConformance",
                .product(name: "FluentSQL", package: "fluent-kit"),
            ]
        ),
        .testTarget(
            name: "FxAServerTests",
            dependencies: [
                "FxAServer",
                "FxAStore",
                // The end-to-end journey runs the example RP against the server.
                "FxANotesApp",
                "FxAVapor",
                "FxAClient",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "VaporTesting", package: "vapor"),
                // The template tests ask the embedded source directly (LeafKit comes with it).
                .product(name: "Leaf", package: "leaf"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The command line: its flags against the settings table.
        .testTarget(
            name: "FxAServerCommandTests",
            dependencies: [
                "fxa-server",
                "FxAServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FxAClientTests",
            dependencies: [
                "FxAClient",
                "FxACore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
    ]
)
