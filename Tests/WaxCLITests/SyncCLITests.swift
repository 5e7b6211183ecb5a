import FakeDiscogs
import Foundation
import Testing
import WaxStore
import WaxSync
import WaxTestSupport

/// `wax sync` run as an operator would, against the fake Discogs on 127.0.0.1.
@Suite struct SyncCLITests {
    let home = TemporaryDirectory()
    let wax = Subprocess.builtExecutable("wax")

    func fake(_ configure: (inout FakeConfiguration) -> Void = { _ in }) async throws -> FakeDiscogsServer {
        try await startedFake(configure)
    }

    func env(_ server: FakeDiscogsServer, token: String = "fake-owner-token", extra: [String: String] = [:]) -> [String: String] {
        fakeEnvironment(server, home: home.url, token: token, extra: extra)
    }

    var database: URL { home.url.appendingPathComponent("data/wax/wax.db") }
    var log: String { (try? String(contentsOf: home.url.appendingPathComponent("state/wax/wax.log"), encoding: .utf8)) ?? "" }

    @Test func missingSettingsExitTwo() async throws {
        let noToken = try await Subprocess.run(wax, ["sync"], environment: Subprocess.isolatedEnvironment(home: home.url, extra: ["DISCOGS_SELLER_USERNAME": "x"]))
        #expect(noToken.status == 2 && noToken.stderr.hasPrefix("wax: DISCOGS_TOKEN is not set"), "\(noToken.stderr)")
        let noSeller = try await Subprocess.run(wax, ["sync"], environment: Subprocess.isolatedEnvironment(home: home.url, extra: ["DISCOGS_TOKEN": "t"]))
        #expect(noSeller.status == 2 && noSeller.stderr.hasPrefix("wax: DISCOGS_SELLER_USERNAME is not set"), "\(noSeller.stderr)")
        let plainHTTP = try await Subprocess.run(wax, ["sync"], environment: Subprocess.isolatedEnvironment(home: home.url, extra: [
            "DISCOGS_TOKEN": "t", "DISCOGS_SELLER_USERNAME": "x", "DISCOGS_API_URL": "http://api.example.com"]))
        #expect(plainHTTP.status == 2 && plainHTTP.stderr.contains("must be https"))
    }

    @Test func aSyncPrintsItsSummaryAsJSON() async throws {
        let server = try await fake { $0.inventory = .generated(seed: 21, listings: 230) }
        try await withCleanup({ await server.stop() }) { () async throws in
            let result = try await Subprocess.run(wax, ["sync", "--json"], environment: env(server))
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(summary["added"] as? Int == 230 && summary["total"] as? Int == 230 && summary["removed"] as? Int == 0)
            for key in ["updated", "unchanged", "requests", "seconds", "releases_fetched", "releases_pending"] { #expect(summary[key] != nil, "\(key)") }
            server.sell(server.liveListings()[0].id)
            let second = try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: env(server))
            #expect(second.status == 0)
            #expect(second.stdout.hasPrefix("synced freakinbeats: +0 added, ~0 updated, −1 removed, 229 unchanged → 229 listings"))
        }
    }

    /// A shop that syncs from cron sees its orders: a one-shot `wax sync` polls them too (only
    /// `--watch`, `serve` and the browser did), says so, and `--listings-only` leaves them.
    @Test func aOneShotSyncPollsTheOrdersUnlessListingsOnly() async throws {
        let server = try await fake { $0.inventory = .generated(seed: 22, listings: 60) }
        try await withCleanup({ await server.stop() }) { () async throws in
            let first = try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: env(server))
            #expect(first.status == 0 && first.stdout.contains("orders: not polled (--listings-only)"), "\(first.stdout)")
            let bought = server.liveListings()[3]
            let order = try #require(server.buy([bought.id], buyer: "cron_buyer"))
            let result = try await Subprocess.run(wax, ["sync", "--json"], environment: env(server))
            #expect(result.status == 0, "\(result.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let orders = try #require(summary["orders"] as? [String: Any])
            #expect(orders["polled"] as? Bool == true && orders["new"] as? Int == 1 && orders["listings_sold"] as? Int == 1, "\(orders)")
            let list = try await Subprocess.run(wax, ["orders", "--json"], environment: env(server))
            #expect(list.stdout.contains("\"\(order)\""), "the order is in the mirror: \(list.stdout.prefix(300))")
            let text = try await Subprocess.run(wax, ["sync", "--quiet"], environment: env(server))
            #expect(text.stdout.contains("orders: 0 new, 0 changed (1 request)"), "\(text.stdout)")
        }
    }

    @Test func aRejectedTokenExitsFourAndIsNeverEchoed() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let secret = "secret-\(UUID().uuidString)"
            let result = try await Subprocess.run(wax, ["sync", "--json"], environment: env(server, token: secret, extra: ["WAX_LOG_LEVEL": "trace"]))
            #expect(result.status == 4)
            #expect(result.stderr == "wax: Discogs rejected the token (401): check DISCOGS_TOKEN\n")
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret) && !log.contains(secret))
            let dump = try await Subprocess.run(Subprocess.builtExecutable("wax"), ["stats", "--json"], environment: env(server, token: secret))
            #expect(!dump.stdout.contains(secret))
            let db = try Data(contentsOf: database)
            #expect(db.range(of: Data(secret.utf8)) == nil)
        }
    }

    @Test func aSecondSyncExitsThreeNamingTheHolder() async throws {
        let server = try await fake { $0.inventory = .generated(seed: 22, listings: 10) }
        try await withCleanup({ await server.stop() }) { () async throws in
            _ = try InventoryService.open(at: database)
            let held = try SyncLock.acquire(forDatabase: database, trigger: "key")
            let result = try await Subprocess.run(wax, ["sync"], environment: env(server))
            #expect(result.status == 3)
            #expect(result.stderr.hasPrefix("wax: another wax is syncing this database (pid \(getpid()) on"))
            withExtendedLifetime(held) {}
        }
    }

    @Test func killedDuringApplyTheMirrorKeepsTheOldSnapshot() async throws {
        let server = try await fake { $0.inventory = .generated(seed: 23, listings: 3_000) }
        try await withCleanup({ await server.stop() }) { () async throws in
            let first = try await Subprocess.run(wax, ["sync", "--listings-only"], environment: env(server))
            #expect(first.status == 0, "\(first.stderr)")
            let inventory = try InventoryService.open(at: database)
            let before = try inventory.searchIDs(ListingQuery())
            let generation = try inventory.generation()
            let live = server.liveListings()
            for listing in live.prefix(40) { server.sell(listing.id) }
            for listing in live.suffix(40) { server.reprice(listing.id, to: 999) }
            for _ in 0..<2_500 { server.add() }     // enough to make the apply a bulk rebuild

            // Hold the apply transaction open, and kill -9 inside it.
            let process = Process()
            process.executableURL = wax
            process.arguments = ["sync", "--listings-only", "--quiet"]
            process.environment = env(server, extra: ["WAX_FAULT_PAUSE_BEFORE_COMMIT": "10"])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while !log.contains("applying 5460 listings") && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(log.contains("applying 5460 listings"))
            try await Task.sleep(for: .milliseconds(500))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)

            let after = try InventoryService.open(at: database)
            #expect(try after.database.integrityCheck().isEmpty)
            #expect(try after.generation() == generation)
            #expect(try after.searchIDs(ListingQuery()) == before)
            #expect(try after.reports.syncRuns().allSatisfy { $0.outcome == "succeeded" })
            // The lock died with its holder: the next sync runs and converges.
            let retry = try await Subprocess.run(wax, ["sync", "--listings-only", "--json"], environment: env(server))
            #expect(retry.status == 0, "\(retry.stderr)")
            #expect(try after.count(ListingQuery()) == server.liveCount)
        }
    }
}
