import Foundation
import Testing
import WaxStore
import WaxSync
@testable import WaxUI
import WaxTestSupport

/// The orders in the browser (issue 12): new orders announced in every running browser, the
/// double-sale guard in red, one pick list shared by all staff, status changes through the
/// outbox with the staff member's login.
@Suite struct OrdersViewTests {
    @Test func newOrdersAreAnnouncedInEveryBrowserAndTheirListingsLeaveTheList() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        defer { withExtendedLifetime(dir) {} }
        let alice = try Browsers.session(inventory, columns: 120, rows: 30), bob = try Browsers.session(inventory, user: "bob", columns: 120, rows: 30)
        #expect(alice.state.total == 16)
        let (orders, messages) = ShopFixture.orders()
        // The poller (another process) stores two orders.
        _ = try inventory.orderBook.applyOrders(Array(orders.prefix(2)), messages: messages, now: ShopFixture.now)
        for session in [alice, bob] {
            try session.forceChangeCheck()
            #expect(session.frame.text.contains("2 new orders from Discogs (b shows the orders, P the pick list)"))
            #expect(session.frame.text.contains("2 new orders (b)"), "the status bar keeps it after the message goes")
            #expect(session.state.total == 13, "the three records bought left the list at once")
        }
        try alice.handle(.character("b"))
        #expect(alice.state.scope == .orders)
        #expect(!alice.frame.text.contains("new orders (b)"), "seen: the count goes")
        #expect(bob.frame.text.contains("2 new orders (b)"), "bob has not looked yet")
        // One more arrives while alice looks at the orders: it appears in her view, unannounced there.
        _ = try inventory.orderBook.applyOrders([orders[2]], now: ShopFixture.now)
        try alice.forceChangeCheck()
        try bob.forceChangeCheck()
        #expect(alice.state.orders.orders.map(\.id).contains("1234567-5"))
        #expect(alice.state.orders.newOrders == 0)
        #expect(bob.frame.text.contains("3 new orders (b)"))
    }

    @Test func anOrderForARecordSoldInTheShopIsADoubleSaleInRed() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        defer { withExtendedLifetime(dir) {} }
        let session = try Browsers.session(inventory, columns: 120, rows: 30)
        // Tschüssi (row 3) sold at the counter, not yet off Discogs, and a buyer pays for it online.
        try session.handle(.character("j"))
        try session.handle(.character("j"))
        #expect(session.state.selected?.id == ShopFixture.listingID(2))
        try session.handle(.character("S"))
        try session.handle(.character("y"))
        _ = try inventory.orderBook.applyOrders(ShopFixture.orders().orders, now: ShopFixture.now)
        try session.forceChangeCheck()
        #expect(session.state.messageIsError)
        let words = session.frame.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("DOUBLE SALE: order 1234567-3 bought Tschüssi – Auf Wiedersehen, sold in the shop by alice: contact the buyer vinyl_fan"))
        try session.handle(.character("b"))
        func doubleRow() throws -> Int {
            try #require(session.frame.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("DOUBLE SALE: sold in the shop by alice") })
        }
        func isSelected(_ row: Int) -> Bool { session.frame.cells[row].contains { $0.role == .selected } }
        // Not the selected row: its own colour, red all along the line.
        if isSelected(try doubleRow()) { try session.handle(.character("j")) }
        let row = try doubleRow()
        #expect(!isSelected(row))
        #expect(session.frame.cells[row][1...40].allSatisfy { $0.role == .statusError }, "\(session.frame.cells[row].map(\.role))")
        // Another order's row is not red.
        let other = try #require((0..<30).first { session.frame.line($0).contains("1234567-5") })
        #expect(!session.frame.cells[other].contains { $0.role == .statusError })
        let index = try #require(session.state.orders.orders.firstIndex { $0.id == "1234567-3" })
        try session.handle(.character("g"))
        for _ in 0..<index { try session.handle(.character("j")) }
        #expect(isSelected(try doubleRow()))
        try session.handle(.enter)
        #expect(session.frame.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .contains("DOUBLE SALE: order 1234567-3 bought Tschüssi – Auf Wiedersehen, sold in the shop by alice: contact the buyer vinyl_fan, the record is gone"))
        #expect(session.frame.cells.contains { line in line.contains { $0.role == .statusError } })
    }

    @Test func thePickListIsSortedByBinAndSharedByEveryone() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        defer { withExtendedLifetime(dir) {} }
        let (orders, messages) = ShopFixture.orders()
        _ = try inventory.orderBook.applyOrders(orders, messages: messages, now: ShopFixture.now)
        let alice = try Browsers.session(inventory, columns: 120, rows: 30), bob = try Browsers.session(inventory, user: "bob", columns: 120, rows: 30, availability: .off("no token here"))
        try alice.handle(.character("P"))
        try bob.handle(.character("P"))
        // Paid and not shipped: 1234567-3 and -4, by bin; the item the mirror never had last.
        #expect(alice.state.orders.pickItems.map { $0.item.location ?? "-" } == ["A2", "A3", "B2", "-"])
        #expect(alice.frame.text.contains("Pick list: 4 items of 2 paid orders, by bin · 0 picked"))
        #expect(alice.frame.text.contains("Unknown Artist - Lost Tape (Cass)"), "never dropped: shown with the order's description")
        try alice.handle(.character(" "))
        #expect(alice.state.orders.pickCursor == 1, "picking walks down the list")
        try bob.forceChangeCheck()
        #expect(bob.frame.text.contains("✓ alice  A2        Larry Heard – Sceneries Not Songs"))
        // bob (no token: marks are the mirror's alone) unmarks it; alice sees that.
        try bob.handle(.character("x"))
        try alice.forceChangeCheck()
        #expect(alice.state.orders.pickItems[0].item.pickedBy == nil)
        // Enter: the order of the item, with the buyer's message; Esc back to the pick list, Esc out.
        try alice.handle(.character("k"))
        try alice.handle(.enter)
        #expect(alice.state.overlay == .orders)
        #expect(alice.frame.text.contains("Could you send it before Friday?"))
        #expect(alice.frame.text.contains("12 Record Lane"))
        #expect(alice.frame.text.contains("Please ship in a sturdy box"))
        try alice.handle(.escape)
        #expect(alice.state.overlay == .pickList && alice.state.orders.open == nil && alice.state.orders.pickCursor == 0)
        try alice.handle(.escape)
        #expect(alice.state.overlay == .none && alice.state.scope == .list)
    }

    @Test func aStatusChangeOffersOnlyDiscogsNextStatusesAndGoesThroughTheOutbox() throws {
        let (inventory, dir) = try ShopFixture.mirror()
        defer { withExtendedLifetime(dir) {} }
        let (orders, messages) = ShopFixture.orders()
        _ = try inventory.orderBook.applyOrders(orders, messages: messages, now: ShopFixture.now)
        let session = try Browsers.session(inventory, columns: 120, rows: 30)
        try session.handle(.character("b"))
        #expect(session.state.orders.selected?.id == "1234567-5", "the newest activity first")
        try session.handle(.character("j"))
        #expect(session.state.orders.selected?.id == "1234567-3")
        try session.handle(.character("t"))
        #expect(session.frame.text.contains("1  In Progress"))
        #expect(session.frame.text.contains("3  Cancelled (Item Unavailable)"))
        #expect(!session.frame.text.contains("1  Payment Received"), "its own status is not a choice")
        try session.handle(.character("7"))
        #expect(session.state.counterPrompt?.step == .choosing, "no seventh status: nothing chosen")
        try session.handle(.character("2"))
        #expect(session.frame.text.contains("Message to the buyer with Shipped"))
        for c in "DHL 00340434161094042557" { try session.handle(.character(c)) }
        try session.handle(.enter)
        #expect(session.frame.text.contains("Move order 1234567-3 (vinyl_fan) from Payment Received to Shipped, telling the buyer “DHL 00340434161094042557”? y/n"))
        try session.handle(.character("y"))
        #expect(session.frame.text.contains("#1 order 1234567-3: Payment Received → Shipped (message: DHL 00340434161094042557): on its way to Discogs"))
        let action = try #require(try inventory.outbox.action(id: 1))
        #expect(action.user == "alice" && action.kind == .orderStatus && action.orderID == "1234567-3" && action.state == .queued)
        #expect(try inventory.orderBook.order(id: "1234567-3")?.record.status == "Shipped", "shown at once, as counter actions")
        #expect(session.state.orders.pickItems.allSatisfy { $0.orderID != "1234567-3" }, "a shipped order leaves the pick list")

        // A shipped order has nowhere to go; an off counter says why.
        try session.handle(.character("G"))
        #expect(session.state.orders.selected?.id == "1234567-1")
        try session.handle(.character("t"))
        #expect(session.frame.text.contains("order 1234567-1 is Shipped: Discogs offers no other status"))
        #expect(session.state.counterPrompt == nil)
        let readOnly = try Browsers.session(inventory, user: "bob", columns: 120, rows: 30, availability: .off("actions are off: WAX_READ_ONLY is set"))
        try readOnly.handle(.character("b"))
        try readOnly.handle(.character("t"))
        #expect(readOnly.frame.text.contains("actions are off: WAX_READ_ONLY is set"))
        #expect(try inventory.outbox.openCount() == 1)
    }
}
