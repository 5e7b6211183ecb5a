import FakeDiscogs
import Foundation
import Testing
import WaxConfig
import WaxStore
@testable import WaxSync
import WaxTestSupport

/// The double-sale guard while the shop's action is still on its way (issue 23): a sale or
/// hold recorded in the mirror before the online order arrived is a double sale, whatever
/// became of its write, until staff resolve it.
@Suite struct DoubleSaleTests {
    private func shop() async throws -> SyncHarness {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 23, listings: 60) }
        try await harness.sync(harness.options(enrichment: .none))
        return harness
    }

    private func poller(_ harness: SyncHarness) -> OrdersPoller { OrdersPoller(inventory: harness.inventory, client: harness.client) }

    /// Discogs down; the shop sells a record; a buyer buys it online; Discogs comes back: the
    /// sender meets "Sold" first, then the poll brings the order. Flagged all the same.
    @Test(arguments: [false, true]) func aPendingSaleIsADoubleSaleWhicheverComesFirst(pollFirst: Bool) async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let listing = harness.server.liveListings()[4]
            harness.server.setFaults { $0.alwaysFail = true }
            let sale = try harness.inventory.outbox.enqueue(ActionRequest(.sell, listingID: listing.id), user: "alice")
            if case .waiting = await harness.sender().drain() {} else { Issue.record("the sale should wait while Discogs is down") }
            #expect(try harness.inventory.outboxQueue.trouble()?.reason == "HTTP 503", "the outbox says Discogs is not answering")
            harness.server.setFaults { $0.alwaysFail = false }
            let order = try #require(harness.server.buy([listing.id], buyer: "vinyl_fan"))
            harness.advance(60)
            if pollFirst { _ = try await poller(harness).poll() }
            _ = await harness.sender().drain()
            #expect(try harness.inventory.outbox.action(id: sale.id)?.state == .conflict)
            #expect(try harness.inventory.outboxQueue.trouble() == nil, "Discogs answered: the trouble is over")
            let outcome = try await poller(harness).poll()
            if !pollFirst { #expect(outcome.applied.doubleSales == [order]) }
            let flagged = try #require(try harness.inventory.orderBook.order(id: order)?.unresolvedDoubleSales.first)
            #expect(flagged.cause == .sell && flagged.user == "alice" && flagged.listingID == listing.id)
            #expect(try harness.inventory.orderBook.pickList().first { $0.orderID == order }?.doubleSale != nil, "marked: not to be picked")
            #expect(try harness.inventory.orderBook.unresolvedDoubleSales().map(\.orderID) == [order])
            // The history says what happened: sold in the shop, then refused because sold online.
            let history = try harness.inventory.reports.changes(since: .distantPast).filter { $0.listingID == listing.id }
            #expect(history.contains { $0.field == "refused" && $0.oldValue == "sell" && $0.newValue == "sold on Discogs" && $0.user == "alice" })

            // Resolved by cancelling the order with a status Discogs offers, through the outbox.
            _ = try harness.inventory.orderBook.enqueueStatus(orderID: order, status: "Cancelled (Item Unavailable)", user: "bob")
            _ = await harness.sender().drain()
            let resolved = try #require(try harness.inventory.orderBook.order(id: order)?.doubleSales.first?.resolution)
            #expect(resolved.by == "bob" && resolved.how == "order Cancelled (Item Unavailable)")
            #expect(try harness.inventory.orderBook.unresolvedDoubleSales().isEmpty)
        }
    }

    /// A hold still on its way: the order is flagged, naming the customer from the hold's note;
    /// giving the hold up resolves it, with who did.
    @Test func aPendingHoldIsADoubleSaleNamingTheCustomer() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let listing = harness.server.liveListings()[6]
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.hold, listingID: listing.id, note: "Anna, Saturday"), user: "carol")
            let order = try #require(harness.server.buy([listing.id], buyer: "crate_digger"))
            _ = await harness.sender().drain()     // refused: sold on Discogs meanwhile
            _ = try await poller(harness).poll()
            let flagged = try #require(try harness.inventory.orderBook.unresolvedDoubleSale(listingID: listing.id))
            #expect(flagged.orderID == order && flagged.cause == .hold && flagged.customer == "Anna, Saturday" && flagged.user == "carol")
            let history = try harness.inventory.reports.changes(since: .distantPast).filter { $0.listingID == listing.id }
            #expect(history.contains { $0.field == "refused" && $0.oldValue == "hold" && $0.newValue == "sold on Discogs" })
            let given = try harness.inventory.orderBook.giveUpHold(listingID: listing.id, user: "dave")
            #expect(given.resolution?.by == "dave" && given.resolution?.how == "hold given up: the buyer gets it")
            #expect(try harness.inventory.orderBook.unresolvedDoubleSales().isEmpty)
            #expect(try harness.inventory.orderBook.pickList().first { $0.orderID == order }?.doubleSale == nil, "to be picked now")
        }
    }

    /// A sale undone before the order came is not a double sale; nor is a sale in the shop's
    /// history long ago of a record listed again since.
    @Test func anUndoneSaleIsNoDoubleSaleAndNoSale() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let listing = harness.server.liveListings()[8]
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.sell, listingID: listing.id), user: "alice")
            _ = await harness.sender().drain()
            #expect(try harness.inventory.reports.sales(since: .distantPast).contains { $0.listingID == listing.id && $0.channel == .shop })
            _ = try harness.inventory.outbox.undoLast(user: "alice")
            _ = await harness.sender().drain()
            #expect(!(try harness.inventory.reports.sales(since: .distantPast).contains { $0.listingID == listing.id }), "an undone sale is no sale")
            let order = try #require(harness.server.buy([listing.id]))
            _ = try await poller(harness).poll()
            #expect(try harness.inventory.orderBook.order(id: order)?.doubleSales.isEmpty == true)
        }
    }
}
