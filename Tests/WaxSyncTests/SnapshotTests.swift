import Foundation
import Testing
import WaxTestSupport
@testable import WaxStore
@testable import WaxSync

/// Each runs with the records in memory, spooled from the first, and spilled to the spool part way.
@Suite struct SnapshotTests {
    private func record(_ id: Int64, price: Double) -> ListingRecord {
        var record = ListingRecord(listingID: id)
        record.priceValue = price
        return record
    }

    /// Past `memoryLimit` records, the snapshot's listings go to a spool file in a folder kept
    /// alive by the returned directory.
    private func listings(spoolingPast memoryLimit: Int) -> (SnapshotListings, TemporaryDirectory) {
        let folder = TemporaryDirectory()
        return (SnapshotListings(spoolingPast: memoryLimit, in: folder.url), folder)
    }

    static let memoryLimits = [Int.max, 0, 2]

    @Test(arguments: memoryLimits) func aListingReadAgainIsReplacedWhereItWasFirstRead(memoryLimit: Int) throws {
        let (listings, folder) = listings(spoolingPast: memoryLimit)
        var snapshot = Snapshot(listings: listings)
        for (id, price) in [(30, 1.0), (10, 2.0), (20, 3.0)] { try snapshot.put(record(Int64(id), price: price)) }
        try snapshot.put(record(10, price: 9.0))   // a page shifted: the same listing again, repriced
        #expect(snapshot.count == 3)
        #expect(snapshot.listings.isSpooled == (memoryLimit < 3))
        #expect(try snapshot.listings.records().map(\.listingID) == [30, 10, 20])
        #expect(try snapshot.listings.records().map(\.priceValue) == [1.0, 9.0, 3.0])
        #expect(snapshot.contains(20) && !snapshot.contains(40))
        withExtendedLifetime(folder) {}
    }

    @Test(arguments: memoryLimits) func keepingOnlySomeListingsKeepsTheirOrderAndFindsThemAfter(memoryLimit: Int) throws {
        let (listings, folder) = listings(spoolingPast: memoryLimit)
        var snapshot = Snapshot(listings: listings)
        for id in [50, 40, 30, 20, 10] { try snapshot.put(record(Int64(id), price: 1)) }
        snapshot.keep(only: [40, 20, 10])
        #expect(try snapshot.listings.records().map(\.listingID) == [40, 20, 10])
        #expect(!snapshot.contains(50) && snapshot.contains(10))
        try snapshot.put(record(20, price: 7))
        try snapshot.put(record(60, price: 8))
        #expect(try snapshot.listings.records().map(\.listingID) == [40, 20, 10, 60])
        #expect(try snapshot.listings.records().map(\.priceValue) == [1, 7, 1, 8])
        withExtendedLifetime(folder) {}
    }

    @Test(arguments: memoryLimits) func aListingTheMirrorHoldsAsReadIsKeptAsItsIDAlone(memoryLimit: Int) throws {
        func hash(_ record: ListingRecord) -> Int64 {
            var canonical = record
            canonical.canonicalize()
            return ContentHash.of(canonical)
        }
        let mirror = MirrorFingerprints(hashes: [20: hash(record(20, price: 3)), 10: hash(record(10, price: 2)), 40: hash(record(40, price: 4))])
        let (listings, folder) = listings(spoolingPast: memoryLimit)
        var snapshot = Snapshot(mirror: mirror, listings: listings)
        for (id, price) in [(30, 1.0), (20, 3.0), (10, 9.0), (40, 4.0)] { try snapshot.put(record(Int64(id), price: price)) }
        #expect(snapshot.count == 4 && snapshot.contains(20) && snapshot.contains(40))
        #expect(snapshot.listings.ids == [30, 10])   // new, repriced
        try snapshot.put(record(20, price: 5))   // read again after a page shifted, repriced meanwhile
        #expect(snapshot.listings.ids == [30, 10, 20])
        snapshot.keep(only: [10, 20, 40])
        #expect(snapshot.count == 3 && !snapshot.contains(30) && snapshot.contains(40))
        let apply = snapshot.takeApply(removals: [:], trigger: .test, startedAt: Date(), requests: 0, beforeCommit: nil)
        #expect(apply.listings.ids == [10, 20])
        #expect(try apply.listings.records().map(\.priceValue) == [9, 5])
        #expect(apply.unchanged == [40])
        #expect(snapshot.count == 0 && snapshot.listings.isEmpty)
        withExtendedLifetime(folder) {}
    }
}
