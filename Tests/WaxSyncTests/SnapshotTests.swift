import Foundation
import Testing
@testable import WaxStore
@testable import WaxSync

@Suite struct SnapshotTests {
    private func record(_ id: Int64, price: Double) -> ListingRecord {
        var record = ListingRecord(listingID: id)
        record.priceValue = price
        return record
    }

    @Test func aListingReadAgainIsReplacedWhereItWasFirstRead() {
        var snapshot = Snapshot()
        for (id, price) in [(30, 1.0), (10, 2.0), (20, 3.0)] { snapshot.put(record(Int64(id), price: price)) }
        snapshot.put(record(10, price: 9.0))   // a page shifted: the same listing again, repriced
        #expect(snapshot.count == 3)
        #expect(snapshot.records.map(\.listingID) == [30, 10, 20])
        #expect(snapshot.records.map(\.priceValue) == [1.0, 9.0, 3.0])
        #expect(snapshot.contains(20) && !snapshot.contains(40))
    }

    @Test func keepingOnlySomeListingsKeepsTheirOrderAndFindsThemAfter() {
        var snapshot = Snapshot()
        for id in [50, 40, 30, 20, 10] { snapshot.put(record(Int64(id), price: 1)) }
        snapshot.keep(only: [40, 20, 10])
        #expect(snapshot.records.map(\.listingID) == [40, 20, 10])
        #expect(!snapshot.contains(50) && snapshot.contains(10))
        snapshot.put(record(20, price: 7))
        snapshot.put(record(60, price: 8))
        #expect(snapshot.records.map(\.listingID) == [40, 20, 10, 60])
        #expect(snapshot.records.map(\.priceValue) == [1, 7, 1, 8])
    }

    @Test func aListingTheMirrorHoldsAsReadIsKeptAsItsIDAlone() {
        func hash(_ record: ListingRecord) -> Int64 {
            var canonical = record
            canonical.canonicalize()
            return ContentHash.of(canonical)
        }
        let mirror = MirrorFingerprints(hashes: [20: hash(record(20, price: 3)), 10: hash(record(10, price: 2)), 40: hash(record(40, price: 4))])
        var snapshot = Snapshot(mirror: mirror)
        for (id, price) in [(30, 1.0), (20, 3.0), (10, 9.0), (40, 4.0)] { snapshot.put(record(Int64(id), price: price)) }
        #expect(snapshot.count == 4 && snapshot.contains(20) && snapshot.contains(40))
        #expect(snapshot.records.map(\.listingID) == [30, 10])   // new, repriced
        snapshot.put(record(20, price: 5))   // read again after a page shifted, repriced meanwhile
        #expect(snapshot.records.map(\.listingID) == [30, 10, 20])
        snapshot.keep(only: [10, 20, 40])
        #expect(snapshot.count == 3 && !snapshot.contains(30) && snapshot.contains(40))
        let apply = snapshot.takeApply(removals: [:], trigger: .test, startedAt: Date(), requests: 0, beforeCommit: nil)
        #expect(apply.listings.map(\.listingID) == [10, 20])
        #expect(apply.unchanged == [40])
        #expect(snapshot.count == 0 && snapshot.records.isEmpty)
    }
}
