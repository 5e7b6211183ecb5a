import Foundation
import Testing
import WaxStore
import WaxSync
@testable import WaxUI
import WaxTestSupport

/// Every screen at 80×24 and 120×35, from a fixed shop and a fixed clock.
@Suite struct GoldenScreenTests {
    static let sizes = [(80, 24), (120, 35)]

    /// A session on the fixture shop, its database folder kept for the whole of `body` (a
    /// folder dropped early made the screens read a deleted database).
    func withSession(_ columns: Int, _ rows: Int, empty: Bool = false, counter: CounterAccess? = nil, orders: Bool = false,
                     _ body: (Session, SyncInbox) throws -> Void) throws {
        let dir = TemporaryDirectory()
        try withExtendedLifetime(dir) {
            let inventory = try dir.inventory()
            if !empty {
                let shop = ShopFixture.listings()
                _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
            }
            if orders {
                let (records, messages) = ShopFixture.orders()
                _ = try inventory.orderBook.applyOrders(records, messages: messages, now: ShopFixture.now)
            }
            let inbox = SyncInbox()
            let session = try Session(inventory: inventory, runner: nil, inbox: inbox, shop: "freakinbeats",
                                      columns: columns, rows: rows, syncAvailable: true, time: .utc, counter: counter,
                                      now: { ShopFixture.now })
            try body(session, inbox)
        }
    }

    @Test(arguments: sizes) func emptyMirror(columns: Int, rows: Int) throws {
        try withSession(columns, rows, empty: true) { session, _ in
            Golden.check(session.frame, "empty")
        }
    }

    @Test(arguments: sizes) func list(columns: Int, rows: Int) throws {
        try withSession(columns, rows) { session, _ in
            try session.handle(.character("j"))
            try session.handle(.character("j"))
            Golden.check(session.frame, "list")
        }
    }

    @Test(arguments: sizes) func detail(columns: Int, rows: Int) throws {
        try withSession(columns, rows) { session, _ in
            try session.handle(.enter)
            Golden.check(session.frame, "detail")
        }
    }

    @Test(arguments: sizes) func filterPaneWithCounts(columns: Int, rows: Int) throws {
        try withSession(columns, rows) { session, _ in
            try session.handle(.character("f"))
            try session.handle(.character("l"))     // Genre
            try session.handle(.enter)              // the most frequent: Electronic
            Golden.check(session.frame, "filters")
        }
    }

    /// A sale asked at the counter, and a record held and one waiting for Discogs in the list.
    @Test(arguments: sizes) func counter(columns: Int, rows: Int) throws {
        try withSession(columns, rows, counter: CounterAccess(user: "alice", availability: .on)) { session, _ in
            try session.handle(.character("j"))
            try session.handle(.character("H"))
            try session.handle(.enter)              // for nobody in particular
            try session.handle(.character("y"))
            try session.handle(.character("j"))
            try session.handle(.character("S"))
            Golden.check(session.frame, "counter")
        }
    }

    /// `b`: open orders first, each with its items and bins; a shipped one dimmed below.
    @Test(arguments: sizes) func orders(columns: Int, rows: Int) throws {
        try withSession(columns, rows, orders: true) { session, _ in
            try session.handle(.character("b"))
            try session.handle(.character("j"))
            Golden.check(session.frame, "orders")
        }
    }

    /// Enter on an order: the address, the instructions, the messages.
    @Test(arguments: sizes) func orderOpened(columns: Int, rows: Int) throws {
        try withSession(columns, rows, orders: true) { session, _ in
            try session.handle(.character("b"))
            try session.handle(.enter)
            Golden.check(session.frame, "order")
        }
    }

    /// `P`: the paid orders' items by bin, one picked; `t` asking which status.
    @Test(arguments: sizes) func pickList(columns: Int, rows: Int) throws {
        try withSession(columns, rows, counter: CounterAccess(user: "alice", availability: .on), orders: true) { session, _ in
            try session.handle(.character("P"))
            try session.handle(.character(" "))
            Golden.check(session.frame, "pick-list")
            try session.handle(.character("t"))
            Golden.check(session.frame, "order-status")
        }
    }

    @Test(arguments: sizes) func helpOverlay(columns: Int, rows: Int) throws {
        try withSession(columns, rows) { session, _ in
            try session.handle(.character("?"))
            Golden.check(session.frame, "help")
        }
    }

    @Test(arguments: sizes) func syncRunning(columns: Int, rows: Int) throws {
        try withSession(columns, rows) { session, inbox in
            inbox.post(.started(seller: "freakinbeats", trigger: .key))
            inbox.post(.page(3, of: 6, listings: 300))
            inbox.post(.waitingForRateLimit(seconds: 4))
            _ = try session.tick()
            Golden.check(session.frame, "sync-running")
        }
    }

    @Test(arguments: sizes) func syncFailed(columns: Int, rows: Int) throws {
        try withSession(columns, rows) { session, inbox in
            inbox.post(.started(seller: "freakinbeats", trigger: .key))
            inbox.post(.failed(SyncFailure(.failed, "/users/freakinbeats/inventory kept failing (HTTP 503) after 8 attempts: Discogs may be down, try again later")))
            _ = try session.tick()
            Golden.check(session.frame, "sync-failed")
        }
    }

    @Test(arguments: sizes) func wideAndAccentedRowsStayAligned(columns: Int, rows: Int) throws {
        try withSession(columns, rows) { session, _ in
            try session.handle(.character("o"))     // sort by price
            try session.handle(.character("o"))     // by artist: Beatles, Björk, Café, … 坂本龍一 last
            let grid = session.frame
            Golden.check(grid, "unicode")
            // Every row's price ends in the Price column's last cell, whatever the scripts before it.
            let columns = ListColumns.columns(width: columns)
            let priceEnd = columns.prefix { $0.field != .price }.reduce(0) { $0 + $1.width + 1 } + columns.first { $0.field == .price }!.width - 1
            for y in 2..<18 {
                #expect(grid.cells[y][priceEnd].text == "D" && grid.cells[y][priceEnd - 2].text == "U", "row \(y): \(grid.line(y))")
            }
        }
    }

    @Test func sideBySideOnAWideTerminal() throws {
        try withSession(160, 40) { session, _ in
            Golden.check(session.frame, "split")
        }
    }
}
