import Foundation
import Testing
import WaxPresentation
import WaxStore
import WaxSync
import WaxText
@testable import WaxUI
import WaxTestSupport

/// What the shop's staff tripped over in the browser (issue 22), each as it was seen, on the
/// fixture shop at the sizes they used.
@Suite struct StaffTripsTests {
    func withSession(_ columns: Int = 80, _ rows: Int = 24, orders: Bool = false, counter: CounterAccess? = CounterAccess(user: "alice", availability: .on),
                     _ body: (Session, InventoryService) throws -> Void) throws {
        let dir = TemporaryDirectory()
        try withExtendedLifetime(dir) {
            let inventory = try dir.inventory()
            let shop = ShopFixture.listings()
            _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
            if orders {
                let (records, messages) = ShopFixture.orders()
                _ = try inventory.orderBook.applyOrders(records, messages: messages, now: ShopFixture.now)
            }
            let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "freakinbeats", columns: columns, rows: rows,
                                      syncAvailable: true, time: .utc, counter: counter, now: { ShopFixture.now })
            try body(session, inventory)
        }
    }

    func type(_ text: String, _ session: Session) throws {
        for character in text { try session.handle(.character(character)) }
    }

    /// At 80×24 the help showed a third of the commands and PgDn closed it: now it scrolls,
    /// and every command of the registry can be reached, its whole sentence.
    @Test func everyCommandCanBeReachedInTheHelpAt80x24() throws {
        try withSession { session, _ in
            try session.handle(.character("?"))
            // The help's two columns, each read top to bottom over every page.
            var halves = ["", ""]
            var last = ""
            for _ in 0..<40 {
                let grid = session.frame
                if grid.text == last { break }
                last = grid.text
                for (n, range) in [0..<40, 40..<80].enumerated() {
                    halves[n] += (0..<24).map { y in grid.cells[y][range].map(\.text).joined() }.joined(separator: " ") + " "
                }
                try session.handle(.pageDown)
                #expect(session.state.overlay == .help, "PgDn scrolls the help, it does not close it")
            }
            let read = halves.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            for spec in CommandRegistry.all {
                #expect(read.contains { $0.contains(spec.help.split(separator: " ").joined(separator: " ")) }, "\"\(spec.help)\" is never shown whole")
                #expect(read.contains { $0.contains(CommandRegistry.keyLabel(spec)) }, "\(CommandRegistry.keyLabel(spec)) is never shown")
            }
            try session.handle(.character("g"))
            #expect(session.state.helpScroll == 0)
            try session.handle(.character("z"))
            #expect(session.state.overlay == .none, "any other key closes it")
        }
    }

    /// `h` is "held" in the list and "previous kind" in the filter pane: the help says where.
    @Test func theHelpSaysWhereAKeyMeansSomethingElse() throws {
        try withSession(200, 60) { session, _ in
            try session.handle(.character("?"))
            let text = session.frame.text
            #expect(text.contains("In the filter pane"))
            let filterGroup = try #require(text.range(of: "In the filter pane"))
            let previous = try #require(text.range(of: "Filters: previous kind"))
            #expect(filterGroup.lowerBound < previous.lowerBound)
        }
    }
}

extension StaffTripsTests {
    /// Esc goes back where the staff member came from, at the same row: the changes view (it
    /// landed in the main list) and the pick list (it landed in the orders view).
    @Test func escGoesBackToTheViewTheDetailWasOpenedFrom() throws {
        try withSession(80, 24, orders: true) { session, inventory in
            // Changes at the counter, so that `c` has rows: the third one is opened.
            for (index, price) in [(3, 61.0), (5, 90.0), (6, 121.0)] {
                _ = try inventory.outbox.enqueue(ActionRequest(.price, listingID: ShopFixture.listingID(index), price: price), user: "alice", now: ShopFixture.now)
            }
            try session.handle(.character("c"))
            try session.handle(.character("j"))
            try session.handle(.character("j"))
            let row = session.state.changesCursor
            try session.handle(.enter)
            #expect(session.state.overlay == .none && session.state.detail != nil)
            try session.handle(.escape)
            #expect(session.state.overlay == .changes, "Esc from a listing opened in the changes goes back to the changes")
            #expect(session.state.changesCursor == row && session.frame.text.contains("Changes:"))
            try session.handle(.escape)
            #expect(session.state.overlay == .none)

            try session.handle(.character("P"))
            try session.handle(.character("j"))
            let pick = session.state.orders.pickCursor
            try session.handle(.enter)
            #expect(session.state.overlay == .orders && session.state.orders.open != nil)
            try session.handle(.escape)
            #expect(session.state.overlay == .pickList && session.state.orders.pickCursor == pick, "back to the pick list, same item")
            #expect(session.frame.text.contains("Pick list:"))
        }
    }

    /// The changes say who acted and what they did by its name ("held", "back on sale", not
    /// "status For Sale → Draft" and "removed sold in shop → back on sale"), and a long reason
    /// is not cut where there is room.
    @Test func theChangesSayWhoDidWhatByItsName() throws {
        try withSession(120, 35) { session, inventory in
            _ = try inventory.outbox.enqueue(ActionRequest(.hold, listingID: ShopFixture.listingID(1), note: "Anna"), user: "alice", now: ShopFixture.now)
            let sale = try inventory.outbox.enqueue(ActionRequest(.sell, listingID: ShopFixture.listingID(2)), user: "bob", now: ShopFixture.now)
            try inventory.outboxQueue.markSending(sale.id)
            try inventory.outboxQueue.confirm(sale.id)
            _ = try inventory.outbox.undoLast(user: "bob", now: ShopFixture.now.addingTimeInterval(60))
            _ = try inventory.outbox.enqueue(ActionRequest(.price, listingID: ShopFixture.listingID(3), price: 61), user: "carol", now: ShopFixture.now)
            _ = try inventory.orderBook.applyOrders([OrderRecord(id: "7654321-1", status: "Payment Received", nextStatus: ["Payment Received"],
                                                      created: "2025-11-25T11:00:00Z", lastActivity: "2025-11-25T11:00:00Z", buyer: "vinyl_fan",
                                                      items: [OrderItemRecord(listingID: ShopFixture.listingID(4), price: 40)])],
                                          now: ShopFixture.now)
            try session.forceChangeCheck()
            try session.handle(.character("c"))
            let text = session.frame.text
            #expect(text.contains("~ held") && text.contains("by alice"), "\(text)")
            #expect(text.contains("− sold in shop") && text.contains("back on sale (undo)") && text.contains("by bob"))
            #expect(text.contains("~ repriced") && text.contains("60.00 USD → 61.00 USD by carol"))
            #expect(text.contains("− sold on Discogs, order 7654321-1"), "not cut at 120 columns")
            #expect(!text.contains("For Sale → Draft") && !text.contains("sold in shop → back on sale"))
        }
    }

    /// A conflict's message is wrapped onto more lines, never cut at 80 columns: the part that
    /// says nothing was changed stays.
    @Test func aLongMessageWrapsInsteadOfBeingCut() throws {
        try withSession(80, 24) { session, inventory in
            let action = try inventory.outbox.enqueue(ActionRequest(.price, listingID: ShopFixture.listingID(0), price: 5), user: "alice", now: ShopFixture.now)
            try session.handle(.character("j"))
            try session.handle(.character("k"))
            var onDiscogs = try #require(try inventory.listing(id: ShopFixture.listingID(0))).record
            onDiscogs.priceValue = 9.5
            try inventory.outboxQueue.markSending(action.id)
            try inventory.outboxQueue.refuse(action.id, as: .conflict, message: "price on Discogs is 9.50 USD, you saw 25.00 USD: nothing was changed", discogs: onDiscogs)
            session.report("#1 repriced 25.00 USD → 5.00 USD (Björk – Army Of Me): CONFLICT: price on Discogs is 9.50 USD, you saw 25.00 USD: nothing was changed")
            let words = session.frame.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains("you saw 25.00 USD: nothing was changed"), "\(session.frame.text)")
            Golden.check(session.frame, "conflict-message")
        }
    }

    /// At 80 columns `9` chose Price while the tab bar still showed 1–8; the bar now shows the
    /// chosen tab. A narrowed list takes one Enter, and the hints say what the keys do.
    @Test func theFilterTabsFollowTheChoiceAndNarrowingTakesOneEnter() throws {
        try withSession(80, 24) { session, _ in
            try session.handle(.character("f"))
            try session.handle(.character("9"))
            #expect(session.state.filterKind == .price)
            #expect(session.frame.text.contains("[9 Price]"), "\(session.frame.line(3))")
            try session.handle(.character("1"))
            try session.handle(.character("/"))
            try type("tsch", session)
            #expect(session.frame.line(23).contains("Enter choose") && session.frame.line(23).contains("Esc clear"), "\(session.frame.line(23))")
            try session.handle(.enter)
            #expect(session.state.query.artist == "Tschüssi" && session.state.total == 1)
        }
    }

    /// `r` says it reloaded; a restart does not bring back a scanned code as the search (it
    /// opened on "nothing matches" once the record had sold).
    @Test func reloadSaysSoAndAScannedCodeIsNotRestored() throws {
        try withSession { session, _ in
            try session.handle(.character("r"))
            #expect(session.frame.text.contains("reloaded from the mirror"))
            try type("3700000000", session)
            #expect(session.state.total == 1)
            #expect(SavedView(session.state).query.text == "", "a scan is a one-off lookup")
            try session.handle(.escape)
            try session.handle(.character("/"))
            try type("army", session)
            #expect(SavedView(session.state).query.text == "army", "a typed search comes back")
        }
        // A search that finds nothing any more: the view opens on the whole list, saying why.
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let shop = ShopFixture.listings()
        _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
        var old = AppState()
        old.query.text = "zzzz no such record"
        let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "s", columns: 80, rows: 24, syncAvailable: false,
                                  time: .utc, restoring: SavedView(old), now: { ShopFixture.now })
        #expect(session.state.total == 16 && session.state.query.text.isEmpty)
        #expect(session.frame.text.contains("finds nothing now: cleared"))
    }

    /// PgDn in the full-screen details turns a page (it scrolled one line); sorting by bin puts
    /// the listings without one last and keeps the arrow in the header.
    @Test func detailsPageAndBinsSortWithTheEmptyOnesLast() throws {
        try withSession(80, 24) { session, inventory in
            _ = try inventory.outbox.enqueue(ActionRequest(.move, listingID: ShopFixture.listingID(0), location: ""), user: "alice", now: ShopFixture.now)
            try session.forceChangeCheck()
            try session.handle(.enter)
            try session.handle(.pageDown)
            #expect(session.state.detailScroll > 1, "a page, not a line: \(session.state.detailScroll)")
            try session.handle(.escape)
            while session.state.query.sort.field != .location { try session.handle(.character("o")) }
            #expect(session.frame.line(1).contains("Bin ↑"), "\(session.frame.line(1))")
            try session.handle(.character("G"))
            #expect(session.state.selected?.id == ShopFixture.listingID(0), "the listing without a bin is last")
            try session.handle(.character("O"))
            try session.handle(.character("G"))
            #expect(session.state.selected?.id == ShopFixture.listingID(0), "last the other way too")
            #expect(session.frame.line(1).contains("Bin ↓"))
        }
    }

    /// The orders view and the pick list say conditions as the list does (`gen`, `n/g`, not
    /// `Gene`, `Not`), a shipped order keeps its item count, and the picker's name is not cut.
    @Test func ordersSayConditionsAsTheListDoes() throws {
        #expect(OrderFormat.conditions(OrderItemRecord(listingID: 1, mediaCondition: "Mint (M)", sleeveCondition: "Not Graded")) == "M/n/g")
        #expect(OrderFormat.conditions(OrderItemRecord(listingID: 1, mediaCondition: "Near Mint (NM or M-)", sleeveCondition: "Generic")) == "NM/gen")
        try withSession(80, 24, orders: true) { session, _ in
            try session.handle(.character("b"))
            let shipped = try #require(session.frame.text.split(separator: "\n").first { $0.contains("Shipped") })
            #expect(shipped.contains("1 item"), "\(shipped)")
            try session.handle(.character("P"))
            try session.handle(.character(" "))
            #expect(session.frame.text.contains("✓ alice"), "\(session.frame.text)")
        }
    }
}
