import Foundation
import Testing
import WaxStore
@testable import WaxUI
import WaxTestSupport

/// A running browser reads again what a write changed, and nothing else (issue 18): a
/// confirmation from Discogs re-reads the rows on screen, never the listings' index.
@Suite struct ChangeCountersTests {
    @Test func twentyConfirmationsCostARunningBrowserNoIndexRebuild() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        defer { withExtendedLifetime(dir) {} }
        let browser = try Browsers.session(inventory, user: "alice", columns: 120, rows: 30)
        let listings = try inventory.search(ListingQuery(limit: 10))
        try #require(listings.count == 10)
        var actions: [CounterAction] = []
        for round in 0..<2 {
            for listing in listings {
                let price = (listing.record.priceValue ?? 10) + Double(round + 1)
                actions.append(try inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: price), user: "alice"))
            }
        }
        try browser.forceChangeCheck()
        #expect(browser.state.outboxWaiting == 20)
        #expect(browser.frame.text.contains("20 changes waiting for Discogs"), "\(browser.frame.text)")
        let loads = inventory.indexLoads
        let before = try inventory.changeCounters()
        for action in actions {
            let id = try #require(action.listingID)
            // What the sender does once Discogs shows the price: confirm, then keep Discogs'
            // own copy of the listing (its JSON is new; its fields are what the mirror shows).
            try inventory.outboxQueue.markSending(action.id)
            try inventory.outboxQueue.markSent(action.id)
            #expect(try inventory.outboxQueue.confirm(action.id))
            var read = try #require(try inventory.listing(id: id)).record
            read.rawJSON = #"{"id": \#(id), "price": {"value": \#(action.change.price ?? 0), "currency": "USD"}, "confirmed": \#(action.id)}"#
            try inventory.outboxQueue.refresh(read)
            try browser.forceChangeCheck()
        }
        #expect(inventory.indexLoads == loads, "\(inventory.indexLoads - loads) index rebuilds for 20 confirmations")
        #expect(try inventory.changeCounters().changes(since: before) == [.outbox])
        // The browser did read the rows again: nothing is marked waiting any more.
        #expect(browser.state.outboxWaiting == 0)
        #expect(!browser.frame.text.contains("waiting"), "\(browser.frame.text)")
        #expect(browser.state.window.allSatisfy { !$0.hasPendingAction })
    }

    /// A listing changed elsewhere (a sync, another wax's sale) still rebuilds it, once.
    @Test func aChangeToTheListingsStillRebuildsTheIndexOnce() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        defer { withExtendedLifetime(dir) {} }
        let browser = try Browsers.session(inventory, user: "alice", columns: 120, rows: 30)
        let sold = try #require(try inventory.search(ListingQuery(limit: 1)).first)
        let loads = inventory.indexLoads
        _ = try inventory.outbox.enqueue(ActionRequest(.sell, listingID: sold.id), user: "bob")
        try browser.forceChangeCheck()
        #expect(inventory.indexLoads == loads + 1)
        #expect(browser.state.window.first?.id != sold.id, "the sold record left bob's and alice's list")
    }
}
