import Foundation
import Synchronization
import Testing
import WaxStore
import WaxSync
@testable import WaxUI
import WaxTestSupport

/// The counter keys in the browser: a question naming the record, one key to confirm, the
/// mirror changed at once, the outcome announced (issue 11). No Discogs here: what the sender
/// does is OutboxTests' business; these check what staff see.
@Suite struct CounterTests {
    private func session(_ availability: CounterAvailability = .on, nudge: @escaping @Sendable () -> Void = {}) throws -> (Session, InventoryService, TemporaryDirectory) {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let shop = ShopFixture.listings()
        _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
        let counter = CounterAccess(user: "alice", availability: availability, nudge: nudge)
        let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "s", columns: 120, rows: 30,
                                  syncAvailable: false, time: .utc, counter: counter, now: { ShopFixture.now })
        return (session, inventory, dir)
    }

    private func type(_ text: String, _ session: Session) throws {
        for character in text { try session.handle(.character(character)) }
    }

    /// The price shown is the listing's, selected: typing replaces it ("25.00" then "19.5" was
    /// "25.0019.5", refused), while Backspace edits it.
    @Test func typingANewPriceReplacesTheOneShown() throws {
        let (session, _, dir) = try session(nudge: {})
        defer { withExtendedLifetime(dir) {} }
        try session.handle(.character("p"))
        #expect(session.frame.text.contains("type a new value · Enter keeps it"))
        try type("19.5", session)
        #expect(session.frame.text.contains("(USD): 19.5▏"))
        try session.handle(.enter)
        #expect(session.frame.text.contains("Reprice Björk – Army Of Me, 25.00 USD, bin A1 to 19.50 USD? y/n"))
        try session.handle(.escape)
        try session.handle(.character("p"))
        try session.handle(.backspace)
        try type("5", session)
        try session.handle(.enter)
        #expect(session.frame.text.contains("to 25.05 USD? y/n"), "Backspace edits the value shown")
    }

    @Test func repricingAsksForTheValueThenConfirmsAndShowsItAtOnce() throws {
        let nudges = Nudges()
        let (session, inventory, dir) = try session(nudge: { nudges.count.withLock { $0 += 1 } })
        defer { withExtendedLifetime(dir) {} }
        let listing = try #require(session.state.selected)
        try session.handle(.character("p"))
        #expect(session.state.scope == .prompting)
        #expect(session.frame.text.contains("New price for Björk – Army Of Me (USD): 25.00"))
        try session.handle(.control("u"))
        try type("q9", session)     // `q` is text here, not quit
        try session.handle(.enter)
        #expect(session.frame.text.contains("a price is a positive number"), "q9 is not a price")
        for _ in 0..<2 { try session.handle(.backspace) }
        try type("19.5", session)
        try session.handle(.enter)
        #expect(session.frame.text.contains("Reprice Björk – Army Of Me, 25.00 USD, bin A1 to 19.50 USD? y/n"), "the currency is said")
        // Enter alone does not confirm.
        try session.handle(.enter)
        #expect(session.state.counterPrompt != nil)
        try session.handle(.character("y"))
        #expect(session.state.counterPrompt == nil)
        #expect(session.frame.text.contains("#1 repriced 25.00 USD → 19.50 USD (Björk – Army Of Me): on its way to Discogs"))
        #expect(session.frame.text.contains("1 change waiting for Discogs"))
        #expect(session.frame.text.contains("(waiting) Army Of Me"))
        #expect(try inventory.listing(id: listing.id)?.record.priceValue == 19.5)
        #expect(nudges.count.withLock { $0 } == 1, "the sender is woken at once")
        let action = try #require(try inventory.outbox.action(id: 1))
        #expect(action.user == "alice" && action.expected.price == 25 && action.state == .queued)

        // Discogs confirms (another process's sender): the next tick says so.
        try inventory.outboxQueue.markSending(1)
        try inventory.outboxQueue.markSent(1)
        try inventory.outboxQueue.confirm(1)
        try session.forceChangeCheck()
        #expect(session.frame.text.contains("#1 repriced 25.00 USD → 19.50 USD (Björk – Army Of Me): confirmed on Discogs"), "the record is named when it ends")
        #expect(!session.frame.text.contains("waiting for Discogs"))
    }

    @Test func aSaleIsConfirmedWithOneKeyAndNoMeansNothingDone() throws {
        let (session, inventory, dir) = try session()
        defer { withExtendedLifetime(dir) {} }
        let listing = try #require(session.state.selected)
        try session.handle(.character("S"))
        #expect(session.frame.text.contains("Sold in the shop: Björk – Army Of Me, 25.00 USD, bin A1? It becomes a Draft on Discogs (u undoes). y/n"),
                "what happens on Discogs is said")
        try session.handle(.character("n"))
        #expect(session.frame.text.contains("nothing done"))
        #expect(try inventory.outbox.openCount() == 0)
        try session.handle(.character("S"))
        try session.handle(.character("y"))
        #expect(try inventory.listing(id: listing.id)?.removedReason == "sold in shop")
        #expect(session.state.selected?.id != listing.id, "the sold record leaves the list at once")
        #expect(session.frame.text.contains("#1 sold in shop (Björk – Army Of Me): on its way to Discogs"))
        // Undo before it left: cancelled, back in the list.
        try session.handle(.character("u"))
        #expect(session.frame.text.contains("Undo #1 sold in shop (Björk – Army Of Me)? y/n"), "the action and the record are named")
        try session.handle(.character("y"))
        #expect(session.frame.text.contains("#1 sold in shop: cancelled before it left"))
        #expect(try inventory.listing(id: listing.id)?.isRemoved == false)
        #expect(session.state.total == 16)
    }

    @Test func aRefusalIsShownAsAnErrorAndTheMirrorIsPutBack() throws {
        let (session, inventory, dir) = try session()
        defer { withExtendedLifetime(dir) {} }
        let listing = try #require(session.state.selected)
        try session.handle(.character("m"))
        try session.handle(.control("u"))
        try type("Z9", session)
        try session.handle(.enter)
        #expect(session.frame.text.contains("Move Björk – Army Of Me, 25.00 USD, bin A1 to Z9? y/n"))
        try session.handle(.character("y"))
        #expect(try inventory.listing(id: listing.id)?.record.location == "Z9")
        var onDiscogs = listing.record
        onDiscogs.location = "B7"
        try inventory.outboxQueue.markSending(1)
        try inventory.outboxQueue.refuse(1, as: .conflict, message: "location on Discogs is \"B7\", you saw \"A1\": nothing was changed", discogs: onDiscogs)
        try session.forceChangeCheck()
        #expect(session.state.messageIsError)
        #expect(session.frame.text.contains("#1 moved A1 → Z9 (Björk – Army Of Me): CONFLICT: location on Discogs is \"B7\""))
        #expect(session.frame.cells.joined().contains { $0.role == .statusError })
        #expect(try inventory.listing(id: listing.id)?.record.location == "B7", "the mirror shows what Discogs holds")
    }

    @Test func offKeysSayWhyAndEscCancels() throws {
        let (session, inventory, dir) = try session(.off("read-only here (WAX_READ_ONLY=true): staff can look but not act"))
        defer { withExtendedLifetime(dir) {} }
        try session.handle(.character("S"))
        #expect(session.frame.text.contains("read-only here (WAX_READ_ONLY=true)"))
        #expect(session.state.counterPrompt == nil && session.state.messageIsError)
        #expect(try inventory.outbox.openCount() == 0)

        let (open, _, dir2) = try self.session()
        defer { withExtendedLifetime(dir2) {} }
        try open.handle(.character("H"))
        #expect(open.frame.text.contains("Hold Björk – Army Of Me for: ") && open.frame.text.contains("a name or a note · Enter: next"))
        try open.handle(.enter)
        #expect(open.frame.text.contains("Hold Björk – Army Of Me, 25.00 USD, bin A1 for a customer? y/n"))
        try open.handle(.escape)
        #expect(open.state.counterPrompt == nil)
        #expect(open.frame.text.contains("nothing done"))
    }

    @Test func aHeldRecordIsMarkedAndHReleasesIt() throws {
        let (session, inventory, dir) = try session()
        defer { withExtendedLifetime(dir) {} }
        try session.handle(.character("H"))
        for c in "Anna, Saturday" { try session.handle(.character(c)) }
        try session.handle(.enter)
        #expect(session.frame.text.contains("Hold Björk – Army Of Me, 25.00 USD, bin A1 for Anna, Saturday? y/n"))
        try session.handle(.character("y"))
        try inventory.outboxQueue.markSending(1)
        try inventory.outboxQueue.confirm(1)
        try session.forceChangeCheck()
        #expect(session.frame.text.contains("(held) Army Of Me"))
        try session.handle(.enter)
        #expect(session.frame.text.contains("by alice: Anna, Saturday (a Draft on Discogs; H puts it back on sale)"))
        try session.handle(.character("H"))
        #expect(session.frame.text.contains("Put Björk – Army Of Me, 25.00 USD, bin A1 back on sale? y/n"))
        try session.handle(.character("n"))

        // `h`: the held records only (the filter named in the header), and again: all of them.
        try session.handle(.escape)
        try session.handle(.character("h"))
        #expect(session.state.total == 1 && session.state.selected?.record.title == "Army Of Me")
        #expect(session.frame.text.contains("held only"))
        let heldID = try #require(session.state.selected?.id)
        try session.handle(.character("h"))
        #expect(session.state.total == 16)
        var query = ListingQuery()
        query.heldOnly = true
        query.includeRemoved = true     // the SQL path answers the same
        #expect(try inventory.searchIDs(query) == [heldID])
        #expect(try inventory.count(query) == 1)
    }
}

private final class Nudges: Sendable {
    let count = Mutex(0)
}
