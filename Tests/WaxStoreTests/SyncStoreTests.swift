import Foundation
import Testing
@testable import WaxStore
import WaxTestSupport

@Suite struct SyncStoreTests {
    /// A sync keeps the listings the mirror already holds as read as their ids alone
    /// (`MirrorFingerprints`); the store still counts them, and lifts a hold on one of them.
    @Test func listingsHandedAsUnchangedAreCountedAndAHoldOnOneIsLifted() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let records = (1...3).map { Fixture.listing(Int64($0), artist: "Artist \($0)", title: "Title \($0)") }
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: records, trigger: .test))
        let mirror = try inventory.syncStore.fingerprints()
        #expect(mirror.count == 3 && records.allSatisfy(mirror.holds))
        var repriced = records[2]
        repriced.priceValue = 99
        #expect(!mirror.holds(repriced) && !mirror.holds(Fixture.listing(4)))

        // Held in the shop (a hold not yet sent), and for sale on Discogs exactly as mirrored.
        try inventory.database.write(changing: .holds) { db in
            try db.execute(sql: "INSERT INTO holds(listing_id, user, held_at) VALUES (2, 'carol', '2026-12-04T10:00:00Z')")
        }
        #expect(try inventory.outbox.hold(of: 2) != nil)
        let counts = try inventory.syncStore.applySnapshot(SnapshotApply(listings: [repriced], unchanged: [1, 2], trigger: .test))
        #expect(counts.unchanged == 2 && counts.updated == 1 && counts.added == 0 && counts.total == 3)
        #expect(try inventory.outbox.hold(of: 2) == nil)
        #expect(try inventory.listing(id: 3)?.record.priceValue == 99)
    }
}
