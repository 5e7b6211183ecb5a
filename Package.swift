// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wax",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wax", targets: ["wax"]),
        .executable(name: "fake-discogs", targets: ["fake-discogs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    ],
    targets: [
        // Settings, XDG paths and the log file: what every other target reads at start-up.
        .target(
            name: "WaxConfig",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        // JSON written with sorted keys and explicit nulls (the old app's output; the fake's).
        .target(name: "WaxJSON"),
        // Text measured in terminal cells: truncation, padding, wrapping, CLI tables.
        .target(name: "WaxText"),
        // The SQLite mirror: schema, migrations, InventoryService. The only target that runs SQL.
        .target(
            name: "WaxStore",
            dependencies: [
                "WaxConfig", "WaxJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API, where 100,000 rows are read or written (binds, index loads, counts).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The Discogs client and the sync engine: snapshot, verify, apply, enrich, one at a time.
        // Every sentence staff read about listings, orders, actions and refusals: the browser,
        // the CLI and the logs word things here, the store only says which.
        .target(name: "WaxPresentation", dependencies: ["WaxStore", "WaxConfig", "WaxText", "WaxJSON"]),
        .target(
            name: "WaxSync",
            dependencies: ["WaxConfig", "WaxStore", "WaxPresentation", "WaxJSON", .product(name: "Logging", package: "swift-log")]
        ),
        // A faithful fake of the Discogs API (and the generated shop it serves) for tests,
        // benchmarks and the demo.
        .target(name: "FakeDiscogs", dependencies: ["WaxJSON", .product(name: "FlyingFox", package: "FlyingFox")]),
        // `wax serve`: the old app's JSON API over the mirror, on SwiftNIO (built for hostile
        // traffic: bounded heads, capped connections, back-pressure; see the README).
        .target(
            name: "WaxServer",
            dependencies: ["WaxStore", "WaxSync", "WaxConfig", "WaxJSON",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        // The browser: state, commands, rendering into a grid, themes. No curses in here.
        .target(name: "WaxUI", dependencies: ["WaxStore", "WaxPresentation", "WaxSync", "WaxText", "WaxConfig"]),
        // ncursesw, the wide-character build, through a shim that wraps its macros. (No pkgConfig:
        // SwiftPM drops its -D flags anyway; the shim sets what is needed.)
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        // The only code that calls curses: terminal set-up, keys, drawing, resize, signals.
        .target(name: "WaxTerminal", dependencies: ["CNcursesw", "WaxUI", "WaxConfig"]),
        .executableTarget(
            name: "fake-discogs",
            dependencies: ["FakeDiscogs", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The `wax` command line: argument parsing over the services above.
        .executableTarget(
            name: "wax",
            dependencies: [
                "WaxConfig", "WaxStore", "WaxPresentation", "WaxText", "WaxSync", "WaxJSON", "WaxUI", "WaxTerminal", "FakeDiscogs", "WaxServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `swift run -c release wax-bench …`: speed and memory figures, never run by `swift test`.
        .executableTarget(
            name: "wax-bench",
            dependencies: ["WaxConfig", "WaxStore", "WaxSync", "WaxUI", "WaxServer", "FakeDiscogs", "WaxTestSupport",
                           .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks"
        ),
        // Fixtures shared by the test targets: paths to ../shared/data, temp folders, subprocesses.
        .target(name: "WaxTestSupport", dependencies: ["WaxStore"], path: "Tests/Support"),
        // Swift Testing traits over those fixtures, for the test targets only.
        .target(name: "WaxTestTraits", dependencies: ["WaxTestSupport"], path: "Tests/Traits"),
        .testTarget(name: "WaxConfigTests", dependencies: ["WaxConfig", "WaxTestSupport"]),
        .testTarget(name: "WaxTextTests", dependencies: ["WaxText"]),
        .testTarget(name: "WaxStoreTests", dependencies: ["WaxStore", "WaxPresentation", "WaxJSON", "WaxConfig", "WaxTestSupport", "WaxTestTraits", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "WaxSyncTests", dependencies: ["WaxSync", "WaxStore", "WaxPresentation", "FakeDiscogs", "WaxConfig", "WaxTestSupport", "WaxTestTraits",
                                                   .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "WaxUITests", dependencies: ["WaxUI", "WaxStore", "WaxPresentation", "WaxSync", "WaxConfig", "FakeDiscogs", "WaxTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "WaxServerTests", dependencies: ["WaxServer", "WaxStore", "WaxSync", "WaxConfig", "FakeDiscogs", "WaxTestSupport"]),
        .testTarget(name: "WaxCLITests", dependencies: ["wax", "fake-discogs", "WaxServer", "WaxStore", "WaxPresentation", "WaxSync", "FakeDiscogs", "WaxTestSupport", "WaxTestTraits"]),
    ]
)
