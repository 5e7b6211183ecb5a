import FakeDiscogs
import Foundation
import Testing
import WaxConfig
import WaxStore
import WaxSync
import WaxTestSupport

/// The counter commands as staff and scripts run them, against the fake Discogs (issue 11).
@Suite struct CounterCLITests {
    let home = TemporaryDirectory()
    let wax = Subprocess.builtExecutable("wax")

    func fake() async throws -> FakeDiscogsServer {
        try await startedFake { $0.inventory = .generated(seed: 41, listings: 40) }
    }

    func env(_ server: FakeDiscogsServer, token: String? = "fake-owner-token", extra: [String: String] = [:]) -> [String: String] {
        fakeEnvironment(server, home: home.url, token: token, extra: extra)
    }

    /// A synced mirror and one listing of it.
    func synced(_ server: FakeDiscogsServer) async throws -> FakeListing {
        let sync = try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: env(server))
        try #require(sync.status == 0, "\(sync.stderr)")
        return try #require(server.liveListings().first { $0.quantity == 1 && !$0.location.isEmpty })
    }

    @Test func eachActionIsConfirmedOnDiscogsAndRecordedWithTheLogin() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listing = try await synced(server)
            let id = String(listing.id)
            let price = try await Subprocess.run(wax, ["price", id, "12.50", "--wait", "300"], environment: env(server))
            #expect(price.status == 0, "\(price.stderr)")
            #expect(price.stdout.contains("#1 repriced") && price.stdout.contains("→ 12.50 USD") && price.stdout.hasSuffix("confirmed on Discogs\n"))
            let move = try await Subprocess.run(wax, ["move", id, "--location", "D4", "--json", "--wait", "300"], environment: env(server))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(move.stdout.utf8)) as? [String: Any])
            #expect(object["state"] as? String == "confirmed" && object["user"] as? String == StaffUser.current())
            #expect((object["change"] as? [String: Any])?["location"] as? String == "D4")
            let sell = try await Subprocess.run(wax, ["sell", id, "--wait", "300"], environment: env(server))
            #expect(sell.status == 0 && sell.stdout.contains("sold in shop"), "\(sell.stderr)")
            #expect(server.allListings().first { $0.listing.id == listing.id }?.status == "Draft")
            #expect(server.allListings().first { $0.listing.id == listing.id }?.listing.price == 12.5)

            let changes = try await Subprocess.run(wax, ["changes", "--json"], environment: env(server))
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(changes.stdout.utf8)) as? [[String: Any]])
            #expect(rows.contains { $0["field"] as? String == "sold in shop" && $0["user"] as? String == StaffUser.current() })
            let outbox = try await Subprocess.run(wax, ["outbox", "--json"], environment: env(server))
            let actions = try #require(try JSONSerialization.jsonObject(with: Data(outbox.stdout.utf8)) as? [[String: Any]])
            #expect(actions.map { $0["state"] as? String } == ["confirmed", "confirmed", "confirmed"])
            let undo = try await Subprocess.run(wax, ["undo", "--wait", "300"], environment: env(server))
            #expect(undo.status == 0 && undo.stdout.contains("back on sale") && undo.stdout.contains("confirmed on Discogs"), "\(undo.stderr)")
            #expect(server.liveListings().contains { $0.id == listing.id })
        }
    }

    @Test func badInputIsOneLineAndQueuesNothing() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listing = try await synced(server)
            let id = String(listing.id)
            for (arguments, status, text) in [
                (["price", id, "abc"], Int32(2), "invalid for '<price>'"),
                (["price", id, "0"], 2, "a price must be a positive number"),
                (["price", id, "5 EUR"], 2, "is priced in USD"),
                (["price", "123", "5"], 2, "no listing 123 in the mirror"),
                (["move", id, "--location", String(repeating: "x", count: 300)], 2, "at most 255 characters"),
                // A newline reached Discogs in a bin once; a tab in a note; more decimals than the currency has.
                (["move", id, "--location", "D4\nX"], 2, "a location can't hold a line break: it is one line"),
                (["hold", id, "--note", "for\tAnna"], 2, "a note can't hold a tab"),
                (["price", id, "12.345"], 2, "a price in USD has at most 2 decimals (you gave 12.345): nothing is rounded for you"),
                (["release", id], 1, "is not held"),
                (["outbox", "retry", "77"], 2, "no action #77"),
            ] {
                let result = try await Subprocess.run(wax, arguments, environment: env(server))
                #expect(result.status == status, "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains(text) && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            }
            let overLimit = try await Subprocess.run(wax, ["price", id, "250"], environment: env(server, extra: ["WAX_MAX_PRICE": "200"]))
            #expect(overLimit.status == 2 && overLimit.stderr.contains("200"), "WAX_MAX_PRICE holds for a reprice: \(overLimit.stderr)")
            let readOnly = try await Subprocess.run(wax, ["sell", id], environment: env(server, extra: ["WAX_READ_ONLY": "true"]))
            #expect(readOnly.status == 2 && readOnly.stderr.contains("read-only"))
            let flag = try await Subprocess.run(wax, ["sell", id, "--read-only"], environment: env(server))
            #expect(flag.status == 2 && flag.stderr.contains("--read-only"))
            let noToken = try await Subprocess.run(wax, ["sell", id], environment: env(server, token: nil))
            #expect(noToken.status == 2 && noToken.stderr.contains("actions need the seller's Discogs token"))
            let outbox = try await Subprocess.run(wax, ["outbox"], environment: env(server))
            #expect(outbox.stdout.hasSuffix("0 changes waiting for Discogs\n"))
            #expect(server.stats.writes.isEmpty)
        }
    }

    /// Discogs was down, the sale waits for its next try; Discogs is back and someone runs
    /// `wax outbox send`: it sends now (it printed "waiting … next try 07:09" and sent nothing),
    /// and the attempts it reports agree with its message.
    @Test func outboxSendSendsWhatWaitsNowWhateverItsNextTry() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listing = try await synced(server)
            server.setFaults { $0.alwaysFail = true }
            let sell = try await Subprocess.run(wax, ["sell", String(listing.id), "--wait", "1"], environment: env(server))
            #expect(sell.status == 5, "queued, not confirmed, is its own exit status: \(sell.status) \(sell.stderr)")
            #expect(sell.stdout.contains("queued"), "\(sell.stdout)")
            // Its next try an hour away, as after a long outage.
            let inventory = try InventoryService.open(at: home.url.appendingPathComponent("data/wax/wax.db"))
            try inventory.outboxQueue.postpone(1, attempt: 1, until: Date().addingTimeInterval(3_600), message: "waiting for Discogs (attempt 1): HTTP 503")
            let waiting = try await Subprocess.run(wax, ["outbox", "--json"], environment: env(server))
            let before = try #require((try JSONSerialization.jsonObject(with: Data(waiting.stdout.utf8)) as? [[String: Any]])?.first)
            let attempts = try #require(before["attempts"] as? Int)
            #expect(attempts >= 1 && (before["message"] as? String)?.contains("(attempt \(attempts))") == true, "\(before)")
            server.setFaults { $0.alwaysFail = false }
            let send = try await Subprocess.run(wax, ["outbox", "send", "--json"], environment: env(server))
            #expect(send.status == 0, "\(send.stderr)")
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(send.stdout.utf8)) as? [[String: Any]])
            #expect(sent.map { $0["state"] as? String } == ["confirmed"], "\(send.stdout)")
            #expect(server.allListings().first { $0.listing.id == listing.id }?.status == "Draft")
        }
    }

    /// Discogs fails the first try: `--wait` tries again when the back-off ends and answers
    /// `confirmed`. It sent once, then sat idle for the whole wait and answered `queued`.
    @Test func aFailedTryIsTriedAgainWithinTheWait() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listing = try await synced(server)
            server.setFaults { $0.writeFailures = 1 }
            let price = try await Subprocess.run(wax, ["price", String(listing.id), "7.50", "--wait", "120"], environment: env(server))
            #expect(price.status == 0, "\(price.stdout) \(price.stderr)")
            #expect(price.stdout.hasSuffix("confirmed on Discogs\n"), "\(price.stdout)")
            #expect(server.allListings().first { $0.listing.id == listing.id }?.listing.price == 7.5)
        }
    }

    @Test func aConflictIsExitOneNamingBothValues() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listing = try await synced(server)
            server.reprice(listing.id, to: 99.99)       // someone on the website, after the last sync
            let result = try await Subprocess.run(wax, ["price", String(listing.id), "5", "--wait", "300"], environment: env(server))
            #expect(result.status == 1)
            #expect(result.stderr.contains("CONFLICT: price on Discogs is 99.99 USD, you saw \(String(format: "%.2f", listing.price)) USD: nothing was changed"))
            #expect(server.stats.writes.isEmpty)
        }
    }

    /// Staff without the token queue; the shop's `wax sync --watch` (with it) sends.
    @Test func staffWithoutTheTokenQueueAndTheServiceSends() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listing = try await synced(server)
            let service = try Subprocess.start(wax, ["sync", "--watch", "--quiet", "--listings-only"], environment: env(server))
            defer { service.signal(SIGTERM) }
            let lock = home.url.appendingPathComponent("data/wax/wax.db.outbox-lock")
            for _ in 0..<200 where DatabaseLock.holder(forDatabase: home.url.appendingPathComponent("data/wax/wax.db"), job: .outbox) == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(FileManager.default.fileExists(atPath: lock.path))
            let result = try await Subprocess.run(wax, ["hold", String(listing.id), "--note", "for Anna", "--wait", "300"], environment: env(server, token: nil))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("held") && result.stdout.hasSuffix("confirmed on Discogs\n"), "\(result.stdout)")
            #expect(server.allListings().first { $0.listing.id == listing.id }?.status == "Draft")
            // `--held`: the records held for customers, and only them.
            let held = try await Subprocess.run(wax, ["search", "--held", "--json"], environment: env(server, token: nil))
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(held.stdout.utf8)) as? [[String: Any]])
            #expect(rows.compactMap { $0["listing_id"] as? String } == [String(listing.id)], "\(held.stdout.prefix(300))")
        }
    }
}
