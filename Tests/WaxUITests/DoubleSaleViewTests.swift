import Foundation
import Testing
import WaxStore
import WaxSync
@testable import WaxUI
import WaxTestSupport

/// A double sale while the shop's sale or hold was still on its way to Discogs, as two staff
/// see it in two browsers on one mirror (issue 23): every browser flags it, in red, until
/// someone resolves it; the pick list says not to pick it.
@Suite struct DoubleSaleViewTests {
    private func order(_ id: String, buying index: Int, buyer: String) -> OrderRecord {
        OrderRecord(id: id, status: "Payment Received", nextStatus: ["Payment Received", "In Progress", "Shipped", "Cancelled (Item Unavailable)"],
                    created: "2025-11-25T11:50:00Z", lastActivity: "2025-11-25T11:50:00Z", buyer: buyer, total: 15, totalCurrency: "USD",
                    items: [OrderItemRecord(listingID: ShopFixture.listingID(index), price: 15, currency: "USD",
                                            mediaCondition: "Mint (M)", sleeveCondition: "Mint (M)")])
    }

    @Test func aSaleStillOnItsWayIsFlaggedInEveryBrowserUntilResolved() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        defer { withExtendedLifetime(dir) {} }
        let alice = try Browsers.session(inventory, user: "alice"), bob = try Browsers.session(inventory, user: "bob")
        // alice sells Tschüssi at the counter; Discogs is down, the sale waits.
        try alice.handle(.character("j"))
        try alice.handle(.character("j"))
        try alice.handle(.character("S"))
        try alice.handle(.character("y"))
        let sale = try #require(try inventory.outbox.actions(openOnly: true).first)
        // Discogs comes back: the sender finds it sold online (refused), then the poll brings the order.
        try inventory.outboxQueue.markSending(sale.id)
        try inventory.outboxQueue.refuse(sale.id, as: .conflict, message: "SOLD ON DISCOGS TOO: listing \(sale.listingID ?? 0) was bought online",
                             discogs: nil)
        _ = try inventory.orderBook.applyOrders([order("7777777-1", buying: 2, buyer: "vinyl_fan")], now: ShopFixture.now)
        for session in [alice, bob] {
            try session.forceChangeCheck()
            let words = session.frame.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains("DOUBLE SALE: order 7777777-1 bought Tschüssi – Auf Wiedersehen, sold in the shop by alice: contact the buyer vinyl_fan"),
                    "\(session.frame.text)")
            #expect(session.frame.line(23).contains("1 DOUBLE SALE to resolve (b)"))
            // The message goes with the next key; the status bar keeps saying it.
            try session.handle(.character("j"))
            #expect(session.frame.line(23).contains("1 DOUBLE SALE to resolve (b)"))
            #expect(session.frame.cells[23].contains { $0.role == .statusError })
        }
        // The orders view draws it in red; the pick list marks it not to be picked.
        try bob.handle(.character("b"))
        let row = try #require((0..<24).first { bob.frame.line($0).contains("7777777-1") })
        #expect(bob.frame.line(row).contains("DOUBLE SALE") && bob.frame.cells[row].contains { $0.role == .statusError || $0.role == .selected })
        try bob.handle(.enter)
        let opened = bob.frame.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(opened.contains("sold in the shop by alice: contact the buyer vinyl_fan, the record is gone"), "\(bob.frame.text)")
        try bob.handle(.escape)
        try bob.handle(.character("P"))
        let pick = try #require((0..<24).first { bob.frame.line($0).contains("7777777-1") })
        #expect(bob.frame.line(pick).contains("✗ no"))
        #expect(bob.frame.cells[pick].contains { $0.role == .statusError } || bob.state.orders.pickCursor == 0)
        try bob.handle(.character(" "))
        #expect(bob.frame.text.contains("do not pick"), "a double-sold item can't be marked picked")

        // Resolved (the order cancelled on Discogs): gone from every status bar.
        _ = try inventory.orderBook.applyOrders([OrderRecord(id: "7777777-1", status: "Cancelled (Item Unavailable)", nextStatus: [],
                                                   created: "2025-11-25T11:50:00Z", lastActivity: "2025-11-25T11:58:00Z", buyer: "vinyl_fan",
                                                   items: [OrderItemRecord(listingID: ShopFixture.listingID(2), price: 15, currency: "USD")])],
                                      now: ShopFixture.now)
        for session in [alice, bob] {
            try session.forceChangeCheck()
            #expect(!session.frame.line(23).contains("DOUBLE SALE"))
        }
    }

    /// A hold still on its way: the customer is named (from the hold's note), and `H` in the
    /// orders view gives the record to the buyer, resolving it with who did.
    @Test func aHoldStillOnItsWayNamesTheCustomerAndCanBeGivenUp() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        defer { withExtendedLifetime(dir) {} }
        let alice = try Browsers.session(inventory, user: "alice"), bob = try Browsers.session(inventory, user: "bob")
        try alice.handle(.character("H"))
        for c in "Anna" { try alice.handle(.character(c)) }
        try alice.handle(.enter)
        try alice.handle(.character("y"))
        _ = try inventory.orderBook.applyOrders([order("7777777-2", buying: 0, buyer: "crate_digger")], now: ShopFixture.now)
        try bob.forceChangeCheck()
        let words = bob.frame.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("held for Anna by alice: contact Anna or the buyer crate_digger, only one gets it"), "\(bob.frame.text)")
        try bob.handle(.character("b"))
        try bob.handle(.character("H"))
        #expect(bob.frame.text.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("tell Anna it is gone? y/n"), "\(bob.frame.text)")
        try bob.handle(.character("y"))
        #expect(try inventory.orderBook.unresolvedDoubleSales().isEmpty)
        #expect(try inventory.orderBook.order(id: "7777777-2")?.doubleSales.first?.resolution?.by == "bob")
        try alice.forceChangeCheck()
        #expect(!alice.frame.line(23).contains("DOUBLE SALE"))
    }
}
