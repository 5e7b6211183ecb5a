import Testing
import WaxStore
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
}
