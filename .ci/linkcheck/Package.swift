// swift-tools-version:6.0
// CI's check of the link `deploy/install.sh` makes: a release build with the Swift runtime
// linked in (--static-swift-stdlib) against the same system libraries as wax (libcurl through
// FoundationNetworking, ncursesw, SQLite). A few seconds to build, where wax's own release build
// takes many minutes; it fails the same way when a -dev package is missing ("cannot find -lcurl").
import PackageDescription

let package = Package(
    name: "linkcheck",
    targets: [
        .executableTarget(name: "linkcheck", linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("sqlite3")]),
    ]
)
