import Foundation
import Testing
@testable import WaxStore
import WaxTestSupport

/// A large snapshot's listings go to a spool file and come back one at a time (`SnapshotListings`).
@Suite struct SnapshotListingsTests {
    /// A record with each field chosen at random: there or not, text in several scripts or
    /// empty, numbers at their extremes.
    private func randomRecord(_ random: inout SeededRandom) -> ListingRecord {
        let texts = ["", "A", "Björk", "坂本龍一 — 戦場のメリークリスマス", "\"quoted\", with\ncommas", String(repeating: "long ", count: 60), "🎶"]
        func text() -> String? { Bool.random(using: &random) ? texts.randomElement(using: &random)! : nil }
        func number() -> Int? { Bool.random(using: &random) ? [0, -1, 7, .max, .min].randomElement(using: &random)! : nil }
        func double() -> Double? { Bool.random(using: &random) ? [0, -0.0, 12.34, 1e300, -.infinity, .ulpOfOne].randomElement(using: &random)! : nil }
        var r = ListingRecord(listingID: Int64.random(in: .min ... .max, using: &random),
                              status: ListingStatus(rawValue: texts.randomElement(using: &random)!))
        r.condition = text(); r.sleeveCondition = text(); r.posted = text(); r.priceValue = double(); r.priceCurrency = text()
        r.originalPriceValue = double(); r.originalPriceCurrency = text(); r.shippingPrice = double(); r.shippingCurrency = text()
        r.allowOffers = Bool.random(using: &random) ? Bool.random(using: &random) : nil
        r.shipsFrom = text(); r.comments = text(); r.uri = text(); r.resourceURL = text(); r.weight = double()
        r.estimatedWeight = number(); r.formatQuantity = number(); r.externalID = text(); r.location = text(); r.quantity = number()
        r.releaseID = number().map(Int64.init); r.artist = text(); r.title = text(); r.label = text(); r.catalogNumber = text()
        r.format = text(); r.year = number(); r.releaseDescription = text(); r.releaseResourceURL = text(); r.thumbnailURL = text()
        r.imageURI = text(); r.imageResourceURL = text(); r.communityHave = number(); r.communityWant = number()
        r.sellerUsername = text(); r.rawJSON = text()
        switch Int.random(in: 0..<3, using: &random) {
        case 0: r.legacy = nil
        case 1: r.legacy = .init()   // there, with nothing in it
        default: r.legacy = .init(exportTimestamp: text(), primaryLabel: text())
        }
        return r
    }

    @Test func everyFieldOfARecordComesBackFromItsBytes() throws {
        var random = SeededRandom(seed: 21)
        for _ in 0..<2_000 {
            let record = randomRecord(&random)
            var bytes: [UInt8] = []
            RecordBytes.encode(record, into: &bytes)
            #expect(bytes.withUnsafeBytes(RecordBytes.decode) == record)
        }
    }

    /// A property added to `ListingRecord` and not to `visitFields` would be lost in the spool.
    @Test func theFieldWalkMeetsEveryPropertyOfARecord() {
        struct Counter: ListingFieldVisitor {
            var visits = 0
            mutating func visit(_ value: inout Int64) { visits += 1 }
            mutating func visit(_ value: inout Int64?) { visits += 1 }
            mutating func visit(_ value: inout Int?) { visits += 1 }
            mutating func visit(_ value: inout Double?) { visits += 1 }
            mutating func visit(_ value: inout Bool?) { visits += 1 }
            mutating func visit(_ value: inout String?) { visits += 1 }
        }
        var counter = Counter()
        var record = ListingRecord(listingID: 1)
        record.visitFields(&counter)
        // `legacy` is one property walked as three values: whether it is there and its two fields.
        let properties = Mirror(reflecting: record).children.count
        let legacyFields = Mirror(reflecting: ListingRecord.LegacyFields()).children.count
        #expect(counter.visits == properties - 1 + 1 + legacyFields)
    }

    @Test func bytesCutShortOrDamagedAreNotARecord() throws {
        var random = SeededRandom(seed: 5)
        var record = randomRecord(&random)
        record.artist = "Moodymann"
        var bytes: [UInt8] = []
        RecordBytes.encode(record, into: &bytes)
        for length in 0..<bytes.count {
            #expect(Array(bytes[..<length]).withUnsafeBytes(RecordBytes.decode) == nil, "cut at \(length) of \(bytes.count)")
        }
        #expect((bytes + [0]).withUnsafeBytes(RecordBytes.decode) == nil)
        var damaged = bytes
        damaged[8] = 7   // the status' tag: neither there (1) nor not (0)
        #expect(damaged.withUnsafeBytes(RecordBytes.decode) == nil)
    }

    @Test func spooledListingsComeBackInOrderAndLeaveNoFileBehind() throws {
        let folder = TemporaryDirectory()
        var random = SeededRandom(seed: 8)
        let records = (0..<50).map { _ in randomRecord(&random) }
        var listings = SnapshotListings(spoolingPast: 10, in: folder.url)
        for record in records.prefix(10) { try listings.append(record) }
        #expect(!listings.isSpooled)
        for record in records.dropFirst(10) { try listings.append(record) }
        #expect(listings.isSpooled && listings.ids == records.map(\.listingID))
        #expect(try listings.records() == records)
        // Made and removed from its folder at once: nothing to clean up after a crash.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)

        var changed = records[3]
        changed.priceValue = 1.5
        var copy = listings
        try copy.replace(at: 3, with: changed)
        try copy.append(records[0])
        #expect(try copy.record(at: 3) == changed && copy.count == 51)
        // The copy's writes land in the shared file, where the original does not look.
        #expect(try listings.record(at: 3) == records[3] && listings.count == 50)
        listings.removeAll { $0 == records[3].listingID || $0 == records[40].listingID }
        #expect(try listings.records() == records.enumerated().filter { $0.offset != 3 && $0.offset != 40 }.map(\.element))
    }

    @Test func aSpoolThatCannotBeMadeSaysWhereAndWhy() throws {
        let folder = TemporaryDirectory()
        let missing = folder.url.appendingPathComponent("gone")
        var listings = SnapshotListings(spoolingPast: 0, in: missing)
        #expect { try listings.append(Fixture.listing(1)) } throws: { error in
            let text = "\(error)"
            return text.contains(missing.path) && text.contains("No such file or directory") && !text.contains("\n")
        }
        #expect(listings.isEmpty)
    }

    /// The same snapshot applied from memory and from a spool leaves the same mirror: rows,
    /// history and the counts, on a first sync and on a second that changes some listings.
    @Test func aSpooledSnapshotAppliesAsOneHeldInMemory() throws {
        let (records, releases) = ShopFixture.listings()
        var second = records.dropLast(2).map { $0 }
        second[0].priceValue = 99
        second[5].location = "Z9"
        second.append(Fixture.listing(42, artist: "New", title: "Arrival"))
        var mirrors: [[String]] = []
        var allCounts: [[ApplyCounts]] = []
        for spooled in [false, true] {
            let folder = TemporaryDirectory()
            let inventory = try folder.inventory()
            try inventory.syncStore.storeReleases(releases)
            var counts: [ApplyCounts] = []
            for (round, batch) in [records, second].enumerated() {
                var listings = spooled ? SnapshotListings(spoolingPast: 3, in: folder.url) : SnapshotListings()
                for record in batch { try listings.append(record) }
                #expect(listings.isSpooled == spooled)
                var applied = try inventory.syncStore.applySnapshot(SnapshotApply(
                    listings: listings, removals: round == 1 ? [records[records.count - 1].listingID: .sold] : [:],
                    trigger: .test, startedAt: ShopFixture.now), now: ShopFixture.now)
                applied.phases = []
                counts.append(applied)
            }
            allCounts.append(counts)
            mirrors.append(try inventory.database.read { db in
                try String.fetchAll(db, sql: """
                    SELECT l.listing_id || '|' || coalesce(l.price_value, '') || '|' || coalesce(l.location, '') || '|' || coalesce(l.genres, '')
                        || '|' || coalesce(l.removed_reason, '') || '|' || l.content_hash FROM listings l ORDER BY listing_id
                    """) + String.fetchAll(db, sql: "SELECT listing_id || ' ' || change || ' ' || coalesce(field, '') FROM listing_changes ORDER BY id")
            })
        }
        #expect(mirrors[0] == mirrors[1])
        #expect(allCounts[0] == allCounts[1])
        #expect(allCounts[1][1].added == 1 && allCounts[1][1].updated == 2 && allCounts[1][1].removed == 1)
    }
}
