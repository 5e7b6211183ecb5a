import FakeDiscogs
import Foundation
import Testing
import WaxConfig
@testable import WaxServer
import WaxStore
import WaxSync
import WaxTestSupport

/// Every route of `wax serve` over real HTTP on 127.0.0.1, against the fixture shop.
@Suite struct APIServerTests {
    static let bjork = "3700000000"

    @Test func readRoutesAnswerTheOldAppsJSON() async throws {
        let api = try await APIHarness.start()
        try await withCleanup({ await api.stop() }) { () async throws in

            let all = try await api.get("/api/data")
            #expect(all.status == 200)
            #expect(all.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(all.array.count == 16 && all.header("X-Total-Count") == "16")
            #expect(all.array.first?["listing_id"] as? String == Self.bjork, "newest posted first")
            for key in ListingJSON.legacyKeys { #expect(all.array[0].keys.contains(key), "missing \(key)") }

            let page = try await api.get("/api/data?page=2&per_page=5")
            #expect(page.array.map { $0["listing_id"] as? String } == all.array[5..<10].map { $0["listing_id"] as? String })
            #expect(page.header("X-Page") == "2" && page.header("X-Per-Page") == "5" && page.header("X-Total-Count") == "16")
            let capped = try await api.get("/api/data?per_page=5000")
            #expect(capped.header("X-Per-Page") == "1000" && capped.array.count == 16)
            #expect(try await api.get("/api/data?page=9&per_page=5").array.isEmpty)

            let one = try await api.get("/api/data/\(Self.bjork)")
            #expect(one.status == 200)
            #expect(one.object["primary_artist"] as? String == "Björk" && one.object["genres"] as? String == "Electronic; Pop")
            let missing = try await api.get("/api/data/1")
            #expect(missing.status == 404 && missing.object["error"] as? String == "Listing not found")

            let stats = try await api.get("/api/stats")
            #expect(stats.object["total_listings"] as? Int == 16)
            #expect((stats.object["last_updated"] as? String)?.firstMatch(of: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/) != nil, "the old naive UTC with microseconds")

            let health = try await api.get("/healthz")
            #expect(health.status == 200 && health.object["status"] as? String == "ok" && health.object["listings"] as? Int == 16)
            #expect(health.object["last_sync"] is NSNull && health.object["sync_running"] as? Bool == false)
        }
    }

    @Test func searchUsesTheSameQueryAsTheBrowser() async throws {
        let api = try await APIHarness.start()
        try await withCleanup({ await api.stop() }) { () async throws in
            func ids(_ query: String) async throws -> [String] {
                try await api.get("/api/search?" + query).array.compactMap { $0["listing_id"] as? String }
            }
            #expect(try await ids("q=bjork") == [Self.bjork])
            #expect(try await ids("q=tschussi").count == 1, "accent-insensitive")
            #expect(try await ids("q=beat").count == 1, "a prefix")
            #expect(try await ids("artist=BEATLES").count == 1, "case-insensitive substring")
            // ANDed filters, as the old app: Electronic listings on LP.
            var query = ListingQuery()
            query.genre = "electronic"
            query.format = "lp"
            let expected = try api.inventory.search(query).map { String($0.id) }
            #expect(expected.count == 5)
            #expect(try await ids("genre=electronic&format=lp") == expected)
            // The browser's other filters, ranges and sorts.
            let cheap = try await api.get("/api/search?max_price=10&sort=price:asc").array.compactMap { $0["price_value"] as? Double }
            #expect(cheap == [4.36, 7.63, 9.5])
            #expect(try await ids("min_year=1990&max_year=1994&location=a").count == 2)
            #expect(try await ids("q=deep+house").count == 3, "+ is a space")
            #expect(try await ids("q=caf%C3%A9").count == 1, "percent-encoded UTF-8")
            #expect(try await ids("q=nothing-like-this").isEmpty)
            let paged = try await api.get("/api/search?genre=electronic&per_page=2&page=2")
            #expect(paged.array.count == 2 && paged.header("X-Total-Count") == "7")

            let facets = try await api.get("/api/facets?genre=electronic")
            #expect(facets.object["total"] as? Int == 7)
            let groups = try #require(facets.object["facets"] as? [String: [[String: Any]]])
            let styles = Dictionary(uniqueKeysWithValues: (groups["style"] ?? []).map { ($0["value"] as! String, $0["count"] as! Int) })
            #expect(styles["Deep House"] == 3 && styles["Ambient"] == 2 && styles["Dub"] == nil)
            #expect(groups.keys.contains("sleeve_condition") && groups.keys.contains("year"))
            #expect((try await api.get("/api/facets?limit=1").object["facets"] as? [String: [Any]])?["artist"]?.count == 1)
        }
    }

    @Test func badInputIsA400AndNoGETWrites() async throws {
        let api = try await APIHarness.start()
        try await withCleanup({ await api.stop() }) { () async throws in
            let generation = try api.inventory.generation()
            for bad in ["/api/search?min_price=cheap", "/api/search?sort=colour", "/api/search?sort=price:up", "/api/data?page=0",
                        "/api/data?per_page=-1", "/api/search?min_year=99999", "/api/search?include_removed=maybe",
                        "/api/search?sort=%FF%FE", "/api/search?q=" + String(repeating: "a", count: 5_000),
                        "/api/facets?limit=0", "/api/search?style=%C3"] {
                let reply = try await api.get(bad)
                #expect(reply.status == 400, "\(bad.prefix(60)): \(reply.status)")
                #expect((reply.object["error"] as? String)?.isEmpty == false, "\(bad.prefix(60))")
            }
            // Any id that names no listing is the old app's 404, text ids included.
            for missing in ["/api/data/abc", "/api/data/0", "/api/data/99999"] {
                let reply = try await api.get(missing)
                #expect(reply.status == 404 && reply.object["error"] as? String == "Listing not found", "\(missing)")
            }
            // The old parameters, leniently: 200s.
            #expect(try await api.get("/api/search?q=100%").status == 200)
            #expect(try await api.get("/api/search?q=%FF%FE").status == 200)
            #expect(try await api.get("/api/search?artist=caf%E9&artist=x").status == 200)
            let unknown = try await api.get("/api/nothing")
            #expect(unknown.status == 404 && (unknown.object["error"] as? String)?.contains("/api/nothing") == true)
            let wrongMethod = try await api.send("POST", "/api/data")
            #expect(wrongMethod.status == 405 && wrongMethod.header("Allow") == "GET, OPTIONS")
            #expect(try await api.send("GET", "/api/sync").status == 405)
            #expect(try api.inventory.generation() == generation, "a GET changed the mirror")
        }
    }

    @Test func corsLetsTheShopWebsiteRead() async throws {
        let api = try await APIHarness.start { $0.corsOrigin = "https://shop.example" }
        try await withCleanup({ await api.stop() }) { () async throws in
            let reply = try await api.get("/api/search?q=bjork")
            #expect(reply.header("Access-Control-Allow-Origin") == "https://shop.example")
            #expect(reply.header("Access-Control-Expose-Headers")?.contains("X-Total-Count") == true)
            let preflight = try await api.send("OPTIONS", "/api/sync")
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Methods") == "POST, OPTIONS")
            #expect(preflight.header("Access-Control-Allow-Headers")?.contains("Authorization") == true)

            let plain = try await APIHarness.start()
            try await withCleanup({ await plain.stop() }) { () async throws in
                #expect(try await plain.get("/api/stats").header("Access-Control-Allow-Origin") == nil)
            }
        }
    }

    @Test func syncNeedsTheAPIToken() async throws {
        let closed = try await APIHarness.start()
        try await withCleanup({ await closed.stop() }) { () async throws in
            let refused = try await closed.send("POST", "/api/sync", headers: ["Authorization": "Bearer anything"])
            #expect(refused.status == 403 && (refused.object["error"] as? String)?.contains("WAX_API_TOKEN") == true)

            let open = try await APIHarness.start { $0.apiToken = Secret("s3cret-api-token") }
            try await withCleanup({ await open.stop() }) { () async throws in
                #expect(try await open.send("POST", "/api/sync").status == 401)
                let wrong = try await open.send("POST", "/api/sync", headers: ["Authorization": "Bearer s3cret-api-tokeX"])
                #expect(wrong.status == 401 && wrong.header("WWW-Authenticate") == "Bearer")
                #expect(!String(decoding: wrong.body, as: UTF8.self).contains("s3cret"))
                let unconfigured = try await open.send("POST", "/api/sync", headers: ["Authorization": "Bearer s3cret-api-token"])
                #expect(unconfigured.status == 503 && (unconfigured.object["error"] as? String)?.contains("not configured") == true)
            }
        }
    }

    @Test func syncStartsOnceAndSaysWhenBusy() async throws {
        var fakeConfiguration = FakeConfiguration()
        fakeConfiguration.inventory = .generated(seed: 7, listings: 300)
        fakeConfiguration.rateLimit = 10_000
        fakeConfiguration.latency = 0.05          // three pages and 300 releases: the sync takes a while
        let fake = FakeDiscogsServer(configuration: fakeConfiguration)
        let fakeURL = try await fake.start()
        try await withCleanup({ await fake.stop() }) { () async throws in
            let api = try await APIHarness.start(fixture: false, configure: { $0.apiToken = Secret("s3cret-api-token") }) { inventory in
                let client = try DiscogsClient(configuration: .init(baseURL: fakeURL, token: Secret(fakeConfiguration.ownerToken), userAgent: "wax-tests/1.0"))
                var options = SyncOptions(seller: fakeConfiguration.seller, trigger: .api)
                options.enrichment = .all
                return .runner(SyncRunner(engine: SyncEngine(inventory: inventory, client: client), options: options) { _ in })
            }
            try await withCleanup({ await api.stop() }) { () async throws in
                let auth = ["Authorization": "Bearer s3cret-api-token"]

                let began = Date()
                let first = try await api.send("POST", "/api/sync", headers: auth)
                #expect(first.status == 202 && first.object["status"] as? String == "started")
                let second = try await api.send("POST", "/api/sync", headers: auth)
                #expect(second.status == 409 && second.object["error"] as? String == "a sync is already running")
                #expect(try await api.get("/healthz").object["sync_running"] as? Bool == true)
                guard case .runner(let runner) = api.server.sync else { Issue.record("no runner"); return }
                await runner.waitUntilIdle()
                #expect(try api.inventory.count(ListingQuery()) == 300)
                let health = try await api.get("/healthz").object
                #expect((health["last_sync"] as? [String: Any])?["outcome"] as? String == "succeeded")
                // The age counts from this sync, which began after `began`: no bound on how long
                // a loaded machine takes, only that it is this sync's age, not an older one's.
                let age = try #require((health["last_sync"] as? [String: Any])?["age_seconds"] as? Int)
                #expect(age >= 0 && Double(age) <= Date().timeIntervalSince(began) + 1, "age \(age) s")

                // Another process syncing the same database (its lock is held): 409, naming it.
                let held = try SyncLock.acquire(forDatabase: api.inventory.database.path, trigger: "cli")
                let busy = try await api.send("POST", "/api/sync", headers: auth)
                #expect(busy.status == 409 && (busy.object["error"] as? String)?.contains("pid \(getpid())") == true)
                withExtendedLifetime(held) {}
            }
        }
    }
}

/// The query string: the old app's parameters leniently, wax's own strictly (no HTTP needed).
@Suite struct APIParametersTests {
    @Test func decodesFormsAndRefusesWhatIsNotText() throws {
        let parameters = try APIParameters(rawQuery: "q=Bj%C3%B6rk+army&artist=&sort=price%3Aasc&flag")
        #expect(try parameters.text("q") == "Björk army")
        #expect(try parameters.text("artist") == nil && parameters.text("flag") == nil)
        #expect(try parameters.text("sort") == "price:asc")
        // wax's own parameters stay strict.
        for bad in ["sort=%G1", "sort=%F", "sort=%", "label=%C3", "style=%FF"] {
            #expect(throws: APIError.self, "\(bad)") { try APIParameters(rawQuery: bad).checkStrict() }
        }
        #expect(throws: APIError.self) { try APIParameters(rawQuery: "q=" + String(repeating: "x", count: 4_097)) }
        #expect(throws: APIError.self) { try ListingRequest.search(APIParameters(["max_price": "nan"])) }
        #expect(throws: APIError.self) { try ListingRequest.search(APIParameters(["max_price": "inf"])) }
    }

    @Test func theOldParametersAreReadAsTheOldAppReadThem() throws {
        // A bare % is a literal, bytes that are not UTF-8 are replaced, the first value wins.
        #expect(try APIParameters(rawQuery: "q=100%").text("q") == "100%")
        #expect(try APIParameters(rawQuery: "q=50%+off").text("q") == "50% off")
        #expect(try APIParameters(rawQuery: "artist=caf%E9").text("artist") == "caf\u{FFFD}")
        #expect(try APIParameters(rawQuery: "genre=rock&genre=jazz").text("genre") == "rock")
        #expect(try APIParameters(rawQuery: "format=lp&format=7").text("format") == "lp")
        try APIParameters(rawQuery: "q=%FF%FE&artist=%&format=%ZZ").checkStrict()       // no 400 for these
        // wax's own repeated parameters: the last value.
        #expect(try APIParameters(rawQuery: "sort=price&sort=artist").text("sort") == "artist")
    }

    @Test func pagingBecomesAWindowOnlyWithPerPage() throws {
        #expect(try ListingRequest.everything(APIParameters()).paged == false)
        // `page` alone was ignored by the old app (everything came back): so here too.
        let pageAlone = try ListingRequest.everything(APIParameters(["page": "3"]))
        #expect(pageAlone.paged == false && pageAlone.query.limit == nil)
        let sized = try ListingRequest.search(APIParameters(["per_page": "2000", "page": "2", "sort": "artist"]))
        #expect(sized.query.limit == 1_000 && sized.query.offset == 1_000 && sized.query.sort == ListingSort(.artist))
        let firstPage = try ListingRequest.everything(APIParameters(["per_page": "20"]))
        #expect(firstPage.paged && firstPage.query.limit == 20 && firstPage.query.offset == 0)
    }
}
