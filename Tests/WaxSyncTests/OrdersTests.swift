import FakeDiscogs
import Foundation
import Testing
import WaxConfig
import WaxStore
@testable import WaxSync
import WaxTestSupport

/// Orders through the fake Discogs over real HTTP: the poll, the listings an order takes off
/// sale, double sales, the pick list, shipping through the outbox (issue 12).
@Suite struct OrdersTests {
    private func shop(_ configure: @escaping @Sendable (FakeDiscogsServer) -> Void = { _ in }) async throws -> SyncHarness {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 12, listings: 80) }
        configure(harness.server)
        try await harness.sync(harness.options(enrichment: .none))
        return harness
    }

    private func poller(_ harness: SyncHarness) -> OrdersPoller {
        OrdersPoller(inventory: harness.inventory, client: harness.client)
    }

    @Test func aNewOrderTakesItsListingsOffAtOnceAndAnIdlePollCostsOneRequest() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let bought = Array(harness.server.liveListings().prefix(2))
            let orderID = try #require(harness.server.buy(bought.map(\.id), buyer: "vinyl_lover"))
            let first = try await poller(harness).poll()
            #expect(first.applied.new == [orderID] && first.applied.listingsSold == 2)
            #expect(first.requests == 2, "the orders page and the new order's messages")
            for listing in bought {
                #expect(try harness.inventory.listing(id: listing.id)?.removedReason == .soldOnDiscogs(order: orderID))
            }
            let order = try #require(try harness.inventory.orderBook.order(id: orderID))
            #expect(order.record.status == "Payment Received" && order.record.buyer == "vinyl_lover")
            #expect(order.items.map(\.record.listingID) == bought.map(\.id))
            #expect(order.items.allSatisfy { $0.inMirror && $0.artist != nil && $0.location != nil })
            #expect(order.messages.contains { $0.message == "Seller changed status from New Order to Payment Received" })
            #expect(order.doubleSales.isEmpty)

            let idle = try await poller(harness).poll()
            #expect(idle.requests == 1 && idle.applied == OrdersApplied())
            // The next inventory sync agrees: nothing to remove, nothing to add back.
            let summary = try await harness.sync(harness.options(enrichment: .none))
            #expect(summary.added == 0 && summary.removed == 0)
            #expect(try harness.inventory.listing(id: bought[0].id)?.removedReason == .soldOnDiscogs(order: orderID))
        }
    }

    /// A poll that finds more changed orders than it reads messages for stores them all (their
    /// records leave the shelf at once) and reads the other messages at the next polls. It had
    /// stored them as read: the next poll stopped at them and their messages never came.
    @Test func everyOrderGetsItsMessagesWhenAPollFindsMoreThanItReads() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let live = harness.server.liveListings().filter { $0.quantity == 1 }
            try #require(live.count >= 25)
            var ids: [String] = []
            for (n, listing) in live.prefix(25).enumerated() { ids.append(try #require(harness.server.buy([listing.id], buyer: "buyer\(n)"))) }
            func withMessages() throws -> Int {
                try ids.count { try harness.inventory.orderBook.order(id: $0)?.messages.isEmpty == false }
            }
            let poller = poller(harness)
            #expect(poller.configuration.messagesPerPoll == 10)
            let first = try await poller.poll()
            #expect(first.applied.new.count == 25 && first.applied.listingsSold == 25, "every order stored at once")
            #expect(try withMessages() == 10)
            _ = try await poller.poll()
            #expect(try withMessages() == 20)
            _ = try await poller.poll()
            #expect(try withMessages() == 25)
            let idle = try await poller.poll()
            #expect(idle.requests == 1 && idle.applied == OrdersApplied())
        }
    }

    @Test func buyingWhatWasSoldInTheShopOrHeldIsADoubleSale() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let live = harness.server.liveListings()
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.sell, listingID: live[0].id), user: "alice")   // not sent yet
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.hold, listingID: live[1].id, note: "Saturday"), user: "bob")
            let sold = try #require(harness.server.buy([live[0].id]))
            let held = try #require(harness.server.buy([live[1].id]))
            let fine = try #require(harness.server.buy([live[2].id]))
            let outcome = try await poller(harness).poll()
            #expect(Set(outcome.applied.doubleSales) == [sold, held])
            let soldDouble = try #require(try harness.inventory.orderBook.order(id: sold)?.doubleSales.first)
            #expect(soldDouble.cause == .sell && soldDouble.user == "alice")
            let heldDouble = try #require(try harness.inventory.orderBook.order(id: held)?.doubleSales.first)
            #expect(heldDouble.cause == .hold && heldDouble.user == "bob" && heldDouble.customer == "Saturday")
            #expect(try harness.inventory.orderBook.order(id: fine)?.doubleSales.isEmpty == true)
            #expect(try harness.inventory.outbox.hold(of: live[1].id) == nil, "the held record is gone: the hold with it")
        }
    }

    @Test func thePickListIsEveryPaidItemByBinInNaturalOrder() async throws {
        let harness = try await shop { server in
            let live = server.liveListings()
            for (listing, bin) in zip(live.prefix(5), ["C27", "C3", "C2", "A10", "A9"]) { server.update(listing.id) { $0.location = bin } }
        }
        try await withCleanup({ await harness.stop() }) { () async throws in
            let live = harness.server.liveListings()
            _ = harness.server.buy([live[0].id, live[1].id], buyer: "one")       // C27, C3
            _ = harness.server.buy([live[2].id], buyer: "two")                   // C2
            _ = harness.server.buy([live[3].id], buyer: "three", paid: false)    // A10: not paid, not picked
            _ = harness.server.buy([live[4].id], buyer: "four")                  // A9
            _ = try await poller(harness).poll()
            let list = try harness.inventory.orderBook.pickList()
            #expect(list.map(\.item.location) == ["A9", "C2", "C3", "C27"])
            try harness.inventory.orderBook.setPicked(orderID: list[1].orderID, listingID: list[1].item.record.listingID, picked: true, user: "carol")
            #expect(try harness.inventory.orderBook.pickList()[1].item.pickedBy == "carol")
            try harness.inventory.orderBook.setPicked(orderID: list[1].orderID, listingID: list[1].item.record.listingID, picked: false, user: "carol")
            #expect(try harness.inventory.orderBook.pickList()[1].item.pickedBy == nil)
        }
    }

    @Test func shippingGoesThroughTheOutboxWithItsTrackingMessage() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let listing = try #require(harness.server.liveListings().first)
            let orderID = try #require(harness.server.buy([listing.id]))
            _ = try await poller(harness).poll()
            let action = try harness.inventory.orderBook.enqueueStatus(orderID: orderID, status: "shipped", message: "Tracking: DHL 00340434", user: "dan")
            #expect(try harness.inventory.orderBook.order(id: orderID)?.record.status == "Shipped", "shown at once")
            // A poll before the sender runs does not put the old status back.
            _ = try await poller(harness).poll()
            #expect(try harness.inventory.orderBook.order(id: orderID)?.record.status == "Shipped")
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            let fake = try #require(harness.server.orders().first { $0.id == orderID })
            #expect(fake.status == "Shipped")
            #expect(fake.messages.contains { $0.message == "Tracking: DHL 00340434" })
            #expect(fake.messages.contains { $0.message == "Seller changed status from Payment Received to Shipped" })
            #expect(try harness.inventory.outbox.action(id: action.id)?.state == .confirmed)
            #expect(try harness.inventory.orderBook.pickList().isEmpty, "a shipped order leaves the pick list")

            // Bad requests: one line, nothing queued.
            let unpaid = try #require(harness.server.buy([harness.server.liveListings()[0].id], paid: false))
            _ = try await poller(harness).poll()
            #expect(throws: ActionRefusal.self) { try harness.inventory.orderBook.enqueueStatus(orderID: unpaid, status: "Shipped", user: "dan") }
            #expect(throws: ActionRefusal.self) { try harness.inventory.orderBook.enqueueStatus(orderID: "999-1", status: "Shipped", user: "dan") }
            #expect(throws: ActionRefusal.self) {
                try harness.inventory.orderBook.enqueueStatus(orderID: orderID, status: "Refund Sent", message: String(repeating: "x", count: 3_000), user: "dan")
            }
            #expect(try harness.inventory.outbox.openCount() == 0)
        }
    }

    @Test func anOrderCancelledMeanwhileIsAConflict() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let orderID = try #require(harness.server.buy([harness.server.liveListings()[0].id]))
            _ = try await poller(harness).poll()
            let action = try harness.inventory.orderBook.enqueueStatus(orderID: orderID, status: "In Progress", user: "dan")
            harness.server.setOrderStatus(orderID, "Cancelled (Per Buyer's Request)")
            #expect(await harness.sender().drain() == .done(confirmed: 0, refused: 1))
            let refused = try #require(try harness.inventory.outbox.action(id: action.id))
            #expect(refused.state == .conflict && refused.message?.contains("Cancelled (Per Buyer's Request) on Discogs, you saw Payment Received") == true)
            #expect(try harness.inventory.orderBook.order(id: orderID)?.record.status == "Payment Received", "put back until the next poll")
            _ = try await poller(harness).poll()
            #expect(try harness.inventory.orderBook.order(id: orderID)?.record.status == "Cancelled (Per Buyer's Request)")
        }
    }

    @Test func anItemNotInTheMirrorIsKeptWithItsDescription() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let added = harness.server.add()       // listed after the last sync, bought at once
            let orderID = try #require(harness.server.buy([added]))
            _ = try await poller(harness).poll()
            let order = try #require(try harness.inventory.orderBook.order(id: orderID))
            #expect(order.items.count == 1 && !order.items[0].inMirror)
            #expect(order.items[0].record.description?.contains(" - ") == true)
        }
    }

    @Test func salesCountBothChannelsWithFeesAndStockAge() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let live = harness.server.liveListings()
            _ = harness.server.buy([live[0].id, live[1].id])
            _ = try await poller(harness).poll()
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.sell, listingID: live[2].id), user: "alice")
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            let sales = try harness.inventory.reports.sales(since: Date(timeIntervalSinceNow: -86_400))
            #expect(sales.filter { $0.channel == .discogs }.count == 2)
            #expect(sales.filter { $0.channel == .shop }.map(\.user) == ["alice"])
            let fees = sales.compactMap(\.fee).reduce(0, +)
            let order = try #require(harness.server.orders().first)
            #expect(abs(fees - order.fee) < 0.01, "the order's fee is shared among its items")
            #expect(sales.allSatisfy { ($0.stockAge ?? -1) >= 0 })
        }
    }

    @Test func anotherUsersTokenCannotReadOrders() async throws {
        let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 12, listings: 10) }, token: "fake-visitor-token")
        try await withCleanup({ await harness.stop() }) { () async throws in
            await #expect(throws: DiscogsError.tokenRejected) { _ = try await poller(harness).poll() }
        }
    }
}
