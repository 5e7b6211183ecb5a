import Foundation
import Testing
import WaxConfig
import WaxTestSupport

@Suite struct SettingsTests {
    @Test func databaseURLSpellings() throws {
        let fallback = URL(fileURLWithPath: "/data/wax/wax.db")
        let cwd = URL(fileURLWithPath: "/srv/shop")
        #expect(try DatabaseLocation.resolve(nil, default: fallback, workingDirectory: cwd) == fallback)
        #expect(try DatabaseLocation.resolve("sqlite:///inventory.db", default: fallback, workingDirectory: cwd).path == "/srv/shop/inventory.db")
        #expect(try DatabaseLocation.resolve("sqlite:////var/lib/wax/x.db", default: fallback, workingDirectory: cwd).path == "/var/lib/wax/x.db")
        #expect(try DatabaseLocation.resolve("/tmp/plain.db", default: fallback, workingDirectory: cwd).path == "/tmp/plain.db")
        #expect(try DatabaseLocation.resolve("rel/plain.db", default: fallback, workingDirectory: cwd).path == "/srv/shop/rel/plain.db")
        for bad in ["postgresql://user@host/db", "sqlite://host/x.db", "sqlite:///:memory:", "sqlite:///", "mysql:///x"] {
            #expect(throws: DatabaseLocation.InvalidURL.self, "\(bad)") {
                try DatabaseLocation.resolve(bad, default: fallback, workingDirectory: cwd)
            }
        }
    }

    @Test func environmentWinsOverTheFileWhichWinsOverDefaults() throws {
        let file = try ConfigFile.parse("""
        # shop settings
        export DISCOGS_SELLER_USERNAME="freakinbeats"
        SYNC_INTERVAL_HOURS=0.5
        ENABLE_AUTO_SYNC = no
        WAX_THEME='light'   
        """, path: URL(fileURLWithPath: "/x/config"))
        let settings = try Settings.resolve(environment: ["WAX_THEME": "mono"], file: file)
        #expect(settings.sellerUsername == "freakinbeats")
        #expect(settings.syncIntervalHours == 0.5)
        #expect(settings.enableAutoSync == false)
        #expect(settings.theme == "mono")
        #expect(settings.sources[.theme] == .environment)
        #expect(settings.sources[.sellerUsername] == .configFile)
        #expect(settings.sources[.discogsToken] == .defaultValue)
        #expect(settings.userAgent.hasPrefix("wax/"))
        #expect(settings.discogsAPIURL == "https://api.discogs.com")
        #expect(settings.inventoryStatus == "For Sale")
    }

    @Test func badValuesAreClearErrors() throws {
        #expect { try Settings.resolve(environment: ["SYNC_INTERVAL_HOURS": "hourly"], file: nil) } throws: {
            "\($0)" == "SYNC_INTERVAL_HOURS=\"hourly\" is not valid: expected a positive number of hours, e.g. 1 or 0.25"
        }
        #expect(throws: Settings.Invalid.self) { try Settings.resolve(environment: ["ENABLE_AUTO_SYNC": "perhaps"], file: nil) }
        #expect(throws: Settings.Invalid.self) { try Settings.resolve(environment: ["DISCOGS_INVENTORY_STATUS": "Gone"], file: nil) }
        #expect(throws: ConfigFile.ParseError.self) { try ConfigFile.parse("JUST A LINE", path: URL(fileURLWithPath: "/c")) }
    }

    @Test func theTokenNeverPrints() throws {
        let settings = try Settings.resolve(environment: ["DISCOGS_TOKEN": "sekrit-token-123"], file: nil)
        let token = try #require(settings.discogsToken)
        #expect("\(token)" == "<redacted>")
        #expect(String(describing: settings).contains("sekrit") == false)
        #expect(String(reflecting: token).contains("sekrit") == false)
        #expect(token.revealed == "sekrit-token-123")
        #expect(settings.redact("GET ?token=sekrit-token-123 failed") == "GET ?token=<redacted> failed")
    }

    @Test func aConfigFileHoldingTheTokenMustBePrivate() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("config")
        try "DISCOGS_TOKEN=abc\n".write(to: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path.path)
        let open = try Settings.resolve(environment: [:], file: try ConfigFile.load(from: path))
        #expect(open.warnings.count == 1 && open.warnings[0].contains("chmod 600"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path.path)
        #expect(try Settings.resolve(environment: [:], file: try ConfigFile.load(from: path)).warnings.isEmpty)
    }

    @Test func xdgPathsIgnoreRelativeValues() {
        let paths = WaxPaths.resolve(environment: ["HOME": "/home/shop", "XDG_DATA_HOME": "relative/data", "XDG_STATE_HOME": "/var/state"], executable: nil)
        #expect(paths.defaultDatabase.path == "/home/shop/.local/share/wax/wax.db")
        #expect(paths.logFile.path == "/var/state/wax/wax.log")
        #expect(paths.configFile.path == "/home/shop/.config/wax/config")
    }
}
