import Foundation
import Testing
import WaxStore
import WaxSync
@testable import WaxUI
import WaxTestSupport

@Suite struct SessionTests {
    @Test func theSelectionSurvivesAnotherProcessCommitting() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("shared.db")
        let ui = try InventoryService.open(at: path)
        let shop = ShopFixture.listings()
        _ = try ui.importer.importListings(shop.listings, releases: shop.releases)
        let session = try Session(inventory: ui, runner: nil, inbox: SyncInbox(), shop: "s", columns: 80, rows: 24, syncAvailable: false)
        for _ in 0..<3 { try session.handle(.character("j")) }
        let selected = try #require(session.state.selected?.id)
        // Another wax process syncs: two newer listings arrive above the selected one.
        let other = try InventoryService.open(at: path)
        var fresh = [Fixture.listing(1, artist: "Newer", posted: "2025-11-24T10:00:00-08:00"),
                     Fixture.listing(2, artist: "Newest", posted: "2025-11-25T01:00:00-08:00")]
        fresh[0].releaseID = nil
        fresh[1].releaseID = nil
        _ = try other.importer.importListings(fresh)
        try session.forceChangeCheck()
        #expect(session.state.total == 18)
        #expect(session.state.selected?.id == selected)
        #expect(session.state.cursor == 5)
        #expect(session.frame.text.contains("showing 18 of 18"))
    }

    @Test func readsAreWindowsNotTheTable() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings((1...5_000).map { Fixture.listing(Int64($0), artist: "A\($0)", posted: String(format: "2025-01-01T00:%02d:%02d-08:00", $0 / 60 % 60, $0 % 60)) })
        let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "s", columns: 80, rows: 24, syncAvailable: false)
        let visible = session.state.layout.listRows
        #expect(session.state.window.count <= visible * 3)
        try session.handle(.character("G"))
        #expect(session.state.cursor == 4_999)
        #expect(session.state.window.count <= visible * 3)
        #expect(session.state.selected != nil)
    }

    @Test func syncEventsReachTheStatusBarOnTheNextTick() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let inbox = SyncInbox()
        let session = try Session(inventory: inventory, runner: nil, inbox: inbox, shop: "s", columns: 80, rows: 24, syncAvailable: true)
        inbox.post(.started(seller: "s", trigger: .key))
        inbox.post(.enriching(10, of: 40))
        #expect(try session.tick().contains(.redraw))
        #expect(session.frame.text.contains("release details 10/40"))
        inbox.post(.failed(SyncFailure(.failed, "cannot reach /oauth/identity after 8 attempts: connection refused")))
        _ = try session.tick()
        #expect(session.frame.text.contains("sync failed: cannot reach /oauth/identity"))
    }

    @Test func yCopiesTheSelectedListingsURL() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let shop = ShopFixture.listings()
        _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
        let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "s", columns: 80, rows: 24, syncAvailable: false)
        let effects = try session.handle(.character("y"))
        #expect(effects.contains(.copyURL) && session.state.copyTarget == "https://www.discogs.com/sell/item/3700000000")
        #expect(session.state.message == "copied https://www.discogs.com/sell/item/3700000000")
    }

    @Test func theChangesViewShowsWhatSyncsDid() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let shop = ShopFixture.listings()
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: shop.listings, trigger: .test))
        var repriced = shop.listings[1]
        repriced.priceValue = 33
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: [repriced], removals: [shop.listings[0].listingID: "sold"], trigger: .test))
        let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "s", columns: 100, rows: 24, syncAvailable: false)
        try session.handle(.character("c"))
        let text = session.frame.text
        #expect(text.contains("− sold") && text.contains("Björk – Army Of Me"))
        #expect(text.contains("~ price") && text.contains("30.00 USD → 33.00 USD"))
        try session.handle(.character("j"))
        try session.handle(.enter)                                   // go to the repriced listing
        #expect(session.state.overlay == .none && session.state.selected?.id == repriced.listingID)
    }
}
