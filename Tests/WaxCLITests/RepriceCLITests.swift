import FakeDiscogs
import Foundation
import Testing
import WaxStore
import WaxTestSupport

/// `wax reprice` as staff and scripts run it, against the fake Discogs (issue 20).
@Suite struct RepriceCLITests {
    let home = TemporaryDirectory()
    let wax = Subprocess.builtExecutable("wax")

    func env(_ server: FakeDiscogsServer, token: String? = "fake-owner-token", extra: [String: String] = [:]) -> [String: String] {
        fakeEnvironment(server, home: home.url, token: token, extra: extra)
    }

    @Test func aRuleIsPreviewedThenSentAsOneJobAndUndoneAsARun() async throws {
        let server = try await startedFake {
            $0.inventory = .generated(seed: 31, listings: 150)
            $0.exportPolls = 0     // the export and the job are ready at the first look: no 5 s waits in a test
            $0.uploadPolls = 1
        }
        try await withCleanup({ await server.stop() }) { () async throws in
            let sync = try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: env(server))
            try #require(sync.status == 0, "\(sync.stderr)")
            let before = Dictionary(server.liveListings().map { ($0.id, $0.price) }, uniquingKeysWith: { a, _ in a })

            let dry = try await Subprocess.run(wax, ["reprice", "-15%", "--ending", ".99", "--floor", "1", "--dry-run"], environment: env(server))
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("-15%, rounded .99, floor 1.00") && dry.stdout.contains(" down;") && dry.stdout.contains("one Discogs change job"), "\(dry.stdout)")
            let json = try await Subprocess.run(wax, ["reprice", "-15%", "--ending", ".99", "--floor", "1", "--dry-run", "--json"], environment: env(server))
            let preview = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let items = try #require(preview["items"] as? [[String: Any]])
            #expect(items.count > 50 && server.stats.writes.isEmpty, "a preview sends nothing")
            // Without --yes and without a terminal: shown, not sent.
            let unasked = try await Subprocess.run(wax, ["reprice", "-15%"], environment: env(server))
            #expect(unasked.stdout.contains("nothing sent (--yes sends it)") && server.stats.writes.isEmpty)

            let sent = try await Subprocess.run(wax, ["reprice", "-15%", "--ending", ".99", "--floor", "1", "--yes"], environment: env(server))
            #expect(sent.status == 0, "\(sent.stdout)\(sent.stderr)")
            #expect(sent.stdout.contains("run 1 by") && sent.stdout.contains("\(items.count) confirmed") && sent.stdout.contains("one job"), "\(sent.stdout)")
            for item in items {
                let id = Int64(item["listing_id"] as! String)!
                #expect(server.liveListings().first { $0.id == id }?.price == item["new_price"] as? Double)
            }
            let runs = try await Subprocess.run(wax, ["reprice", "--runs"], environment: env(server))
            #expect(runs.stdout.contains("run 1 by") && runs.stdout.contains("-15%"))

            let undo = try await Subprocess.run(wax, ["reprice", "--undo", "1", "--yes"], environment: env(server))
            #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
            #expect(undo.stdout.contains("undoes run 1"), "\(undo.stdout)")
            for listing in server.liveListings() { #expect(listing.price == before[listing.id]) }
            let changes = try await Subprocess.run(wax, ["changes", "--json"], environment: env(server))
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(changes.stdout.utf8)) as? [[String: Any]])
            #expect(rows.filter { $0["field"] as? String == "price" && $0["user"] as? String != nil }.count >= 2 * items.count)
        }
    }

    @Test func badRulesAndEmptySelectionsAreOneLine() async throws {
        let server = try await startedFake { $0.inventory = .generated(seed: 31, listings: 60) }
        try await withCleanup({ await server.stop() }) { () async throws in
            let sync = try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: env(server))
            try #require(sync.status == 0, "\(sync.stderr)")
            for (arguments, status, text) in [
                (["reprice", "+ten%"], Int32(2), "is not a rule"),
                (["reprice", "-100%", "--dry-run"], 2, "is not a rule"),
                (["reprice", "=20000", "--dry-run"], 0, "above the shop's ceiling"),
                (["reprice", "=20000", "--yes"], 2, "above the shop's ceiling"),
                (["reprice", "+10%", "--artist", "nobody-at-all", "--yes"], 1, "no listing matches"),
                (["reprice", "--undo", "99"], 2, "no reprice run 99"),
            ] {
                let result = try await Subprocess.run(wax, arguments, environment: env(server))
                #expect(result.status == status, "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)")
            }
            #expect(server.stats.writes.count == 0)
        }
    }
}
