import FakeDiscogs
import Foundation
import Testing
import WaxConfig
import WaxStore
import WaxSync
import WaxTestSupport

/// `wax orders` and `wax sales` as staff and scripts run them, against the fake Discogs (issue 12).
@Suite struct OrdersCLITests {
    let home = TemporaryDirectory()
    let wax = Subprocess.builtExecutable("wax")

    func fake() async throws -> FakeDiscogsServer {
        try await startedFake { $0.inventory = .generated(seed: 43, listings: 40) }
    }

    func env(_ server: FakeDiscogsServer, token: String = "fake-owner-token") -> [String: String] {
        fakeEnvironment(server, home: home.url, token: token)
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// A synced mirror, and listings in three different bins to buy.
    func synced(_ server: FakeDiscogsServer) async throws -> [FakeListing] {
        let sync = try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: env(server))
        try #require(sync.status == 0, "\(sync.stderr)")
        var seen = Set<String>()
        return server.liveListings().filter { !$0.location.isEmpty && $0.quantity == 1 && seen.insert($0.location).inserted }
    }

    /// The shop's sale still on its way (Discogs down) when a buyer buys the record online:
    /// `wax orders` and its JSON flag the double sale, the pick list says not to pick it, until
    /// the order is cancelled, which records who resolved it (issue 23).
    @Test func aDoubleSaleWhileTheSaleWaitsIsFlaggedUntilTheOrderIsCancelled() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listing = try #require(try await synced(server).first)
            server.setFaults { $0.alwaysFail = true }
            let sell = try await Subprocess.run(wax, ["sell", String(listing.id), "--wait", "1"], environment: env(server))
            #expect(sell.status == 5, "queued: \(sell.stderr)")
            server.setFaults { $0.alwaysFail = false }
            let order = try #require(server.buy([listing.id], buyer: "vinyl_fan"))
            let send = try await Subprocess.run(wax, ["outbox", "send"], environment: env(server))
            #expect(send.status == 1, "the sale is refused: sold online first: \(send.stdout) \(send.stderr)")
            let list = try await Subprocess.run(wax, ["orders", "--sync", "--json"], environment: env(server))
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stderr.contains("DOUBLE SALE: order \(order) bought"), "\(list.stderr)")
            let object = try #require((try json(list.stdout) as? [[String: Any]])?.first { $0["id"] as? String == order })
            let double = try #require(object["double_sale"] as? [String: Any])
            #expect(double["cause"] as? String == "sell" && double["user"] as? String == StaffUser.current() && double["resolved"] is NSNull)
            let pick = try await Subprocess.run(wax, ["orders", "pick-list"], environment: env(server))
            #expect(pick.stdout.contains("DO NOT PICK: double sale"), "\(pick.stdout)")
            let cancel = try await Subprocess.run(wax, ["orders", "status", order, "Cancelled (Item Unavailable)", "--wait", "300"], environment: env(server))
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(cancel.stdout.contains("order \(order)"), "an order's action names the order: \(cancel.stdout)")
            let after = try await Subprocess.run(wax, ["orders", "show", order, "--json"], environment: env(server))
            let resolved = try #require(try json(after.stdout) as? [String: Any])
            #expect(resolved["double_sale"] is NSNull)
            let history = try #require(resolved["double_sales"] as? [[String: Any]])
            #expect((history.first?["resolved"] as? [String: Any])?["by"] as? String == StaffUser.current())
        }
    }

    @Test func ordersArriveSoldListingsLeaveAndThePickListIsByBin() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listings = try await synced(server)
            try #require(listings.count >= 4)
            let paid = try #require(server.buy([listings[0].id, listings[1].id], buyer: "vinyl_fan"))
            let unpaid = try #require(server.buy([listings[2].id], buyer: "slow_payer", paid: false))

            let list = try await Subprocess.run(wax, ["orders", "--sync", "--json"], environment: env(server))
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stderr.contains("orders: 2 new, 0 changed, 3 listings sold on Discogs (3 requests)"), "the list, and each new order's messages")
            let orders = try #require(try json(list.stdout) as? [[String: Any]])
            #expect(Set(orders.compactMap { $0["id"] as? String }) == [paid, unpaid])
            let first = try #require(orders.first { $0["id"] as? String == paid })
            #expect(first["status"] as? String == "Payment Received" && first["buyer"] as? String == "vinyl_fan")
            let items = try #require(first["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["location"] as? String }) == [listings[0].location, listings[1].location])

            // The bought records left the current listings at once, with the order named.
            let changes = try await Subprocess.run(wax, ["changes", "--json"], environment: env(server))
            let rows = try #require(try json(changes.stdout) as? [[String: Any]])
            #expect(rows.filter { ($0["field"] as? String)?.hasPrefix("sold on Discogs, order ") == true }.count == 3)

            // The pick list: the paid order's items only, bins in natural order.
            let pick = try await Subprocess.run(wax, ["orders", "pick-list", "--csv"], environment: env(server))
            let lines = pick.stdout.split(whereSeparator: \.isNewline).map(String.init)   // CSV lines end in CRLF
            #expect(lines.first == "bin,artist,title,condition,listing_id,order_id,buyer,picked_by,note")
            let bins = lines.dropFirst().map { String($0.split(separator: ",")[0]) }
            #expect(bins == [listings[0].location, listings[1].location].sorted { $0.localizedStandardCompare($1) == .orderedAscending })

            let show = try await Subprocess.run(wax, ["orders", "show", paid], environment: env(server))
            #expect(show.status == 0 && show.stdout.contains("order \(paid) · Payment Received · vinyl_fan"))
            #expect(show.stdout.contains("next: In Progress, Shipped"))

            // A second poll with nothing new costs one request.
            let again = try await Subprocess.run(wax, ["orders", "--sync"], environment: env(server))
            #expect(again.stderr.contains("orders: 0 new, 0 changed (1 request)"), "\(again.stderr)")
        }
    }

    @Test func shippingGoesThroughTheOutboxWithItsMessageAndSalesAddUp() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listings = try await synced(server)
            let order = try #require(server.buy([listings[0].id, listings[1].id], buyer: "vinyl_fan"))
            _ = try await Subprocess.run(wax, ["orders", "--sync"], environment: env(server))

            let ship = try await Subprocess.run(wax, ["orders", "ship", order, "--message", "DHL 00340434161094042557", "--wait", "300", "--json"],
                                                environment: env(server))
            #expect(ship.status == 0, "\(ship.stderr)")
            let action = try #require(try json(ship.stdout) as? [String: Any])
            #expect(action["state"] as? String == "confirmed" && action["user"] as? String == StaffUser.current())
            let shipped = try #require(server.orders().first { $0.id == order })
            #expect(shipped.status == "Shipped")
            #expect(shipped.messages.contains { $0.message == "DHL 00340434161094042557" })
            let show = try await Subprocess.run(wax, ["orders", "show", order, "--json"], environment: env(server))
            #expect((try json(show.stdout) as? [String: Any])?["status"] as? String == "Shipped")

            // A counter sale beside it; `wax sales` counts both, with Discogs' fee shared by price.
            let sell = try await Subprocess.run(wax, ["sell", String(listings[2].id), "--wait", "300"], environment: env(server))
            #expect(sell.status == 0, "\(sell.stderr)")
            let sales = try await Subprocess.run(wax, ["sales", "--since", "1d", "--json"], environment: env(server))
            let report = try #require(try json(sales.stdout) as? [String: Any])
            let rows = try #require(report["sales"] as? [[String: Any]])
            #expect(rows.filter { $0["channel"] as? String == "discogs" }.count == 2)
            #expect(rows.filter { $0["channel"] as? String == "shop" }.map { $0["user"] as? String } == [StaffUser.current()])
            let total = try #require((report["totals"] as? [[String: Any]])?.first)
            #expect(total["count"] as? Int == 3)
            #expect(abs((total["discogs"] as? Double ?? 0) - (listings[0].price + listings[1].price)) < 0.001)
            #expect(abs((total["shop"] as? Double ?? 0) - listings[2].price) < 0.001)
            #expect(abs((total["fees"] as? Double ?? 0) - shipped.fee) < 0.011)
            let csv = try await Subprocess.run(wax, ["sales", "--since", "1d", "--csv"], environment: env(server))
            #expect(csv.stdout.split(whereSeparator: \.isNewline).count == 4)
        }
    }

    @Test func badInputIsOneLineAndChangesNothing() async throws {
        let server = try await fake()
        try await withCleanup({ await server.stop() }) { () async throws in
            let listings = try await synced(server)
            let unpaid = try #require(server.buy([listings[0].id], buyer: "slow_payer", paid: false))
            _ = try await Subprocess.run(wax, ["orders", "--sync"], environment: env(server))
            for (arguments, status, text) in [
                (["orders", "show", "999-9"], Int32(2), "no order 999-9 in the mirror"),
                (["orders", "status", "999-9", "Shipped"], 2, "no order 999-9 in the mirror"),
                (["orders", "ship", unpaid], 2, "order \(unpaid) is New Order: Discogs offers"),
                (["orders", "status", unpaid, "Bogus"], 2, "order \(unpaid) is New Order: Discogs offers"),
                (["orders", "status", unpaid, "Invoice Sent", "--message", String(repeating: "x", count: 2_001)], 2, "at most 2000 characters"),
                (["sales", "--since", "yesterday-ish"], 2, "--since"),
            ] {
                let result = try await Subprocess.run(wax, arguments, environment: env(server))
                #expect(result.status == status, "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains(text) && result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            }
            let outbox = try await Subprocess.run(wax, ["outbox", "--json"], environment: env(server))
            #expect((try json(outbox.stdout) as? [Any])?.isEmpty == true, "nothing queued")
            #expect(server.orders().first { $0.id == unpaid }?.status == "New Order")

            // Another user's token: Discogs refuses the orders (401); one line, the token never shown.
            let visitor = try await Subprocess.run(wax, ["orders", "--sync"], environment: env(server, token: "fake-visitor-token"))
            #expect(visitor.status != 0)
            #expect(visitor.stderr.contains("need the seller's own token") && visitor.stderr.split(separator: "\n").count == 1, "\(visitor.stderr)")
            #expect(!visitor.stderr.contains("fake-visitor-token"))
        }
    }
}
