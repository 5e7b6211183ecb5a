import Foundation
import GRDB
import Testing
@testable import WaxStore
import WaxTestSupport

/// Bins in the order staff walk them, formats as the parts they filter by, and what a barcode
/// scanner types (issue 9).
@Suite struct DerivedKeysTests {
    @Test func binsSortNaturally() throws {
        let bins = ["C27", "C3", "C2", "D1.3", "D1.10", "a1", "popup", "C03"]
        #expect(bins.sorted { NaturalKey.less($0, $1) } == ["a1", "C2", "C3", "C03", "C27", "D1.3", "D1.10", "popup"])
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings(bins.enumerated().map { Fixture.listing(Int64($0.offset + 1), artist: "A", location: $0.element) })
        let sorted = try inventory.search(ListingQuery(sort: ListingSort(.location))).map { $0.record.location ?? "" }
        #expect(sorted == ["a1", "C2", "C3", "C03", "C27", "D1.3", "D1.10", "popup"])
        // The SQL path (removed listings included) sorts the same way.
        var withRemoved = ListingQuery(sort: ListingSort(.location, descending: true))
        withRemoved.includeRemoved = true
        #expect(try inventory.search(withRemoved).map { $0.record.location ?? "" } == sorted.reversed())
    }

    @Test func formatsAreTheirParts() {
        #expect(FormatParts.of("2xLP, Album, RE") == ["LP", "Album", "RE"])
        #expect(FormatParts.of("7\", Single, 45 RPM") == ["7\"", "Single", "45 RPM"])
        #expect(FormatParts.of("12\", 33 ⅓ RPM, 12\"") == ["12\"", "33 ⅓ RPM"])
        #expect(FormatParts.of("Box Set, 10xLP") == ["Box Set", "LP"])
        #expect(FormatParts.of(nil).isEmpty)
    }

    @Test func aScannerFindsTheListingByItsCodes() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        var warp = Fixture.listing(3_749_023_570, artist: "Boards of Canada", title: "Music Has The Right To Children", releaseID: 77)
        warp.catalogNumber = "WARP CD55"
        warp.externalID = "SHELF-12/B"
        var other = Fixture.listing(2, artist: "Other", title: "Else")
        other.catalogNumber = "WARP 30"
        _ = try inventory.importer.importListings([warp, other])
        var release = Fixture.release(77, genres: ["Electronic"])
        release.barcodes = ["5 021603 055126", "(barcode) 5021603055126"]
        try inventory.syncStore.storeReleases([release])
        func ids(_ text: String) throws -> [Int64] { try inventory.searchIDs(ListingQuery(text: text)) }
        #expect(try ids("warpcd55") == [3_749_023_570])
        #expect(try ids("warp30") == [2])
        #expect(try ids("WARP 30") == [2])
        #expect(try ids("3749023570") == [3_749_023_570])
        #expect(try ids("5021603055126") == [3_749_023_570], "the barcode, as a scanner types it")
        #expect(try ids("shelf12b") == [3_749_023_570])
    }

    @Test func aVersionOneMirrorIsBroughtUpToDate() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("old.db")
        do {
            // A mirror as wax's first schema left it.
            let queue = try DatabaseQueue(path: path.path)
            try Schema.migrator.migrate(queue, upTo: "v1: listings, releases, facets, full-text index, sync history")
            try queue.write { db in
                for (id, location, format, catno, seen) in [(10, "C27", "2xLP, Album", "WARP 30", "2025-01-02T00:00:00Z"),
                                                           (11, "C3", "7\", Single", "ABC-1", "2025-01-01T00:00:00Z")] {
                    try db.execute(sql: """
                        INSERT INTO listings(listing_id, status, location, location_key, format, catalog_number, posted_at, artist,
                                             first_seen_at, updated_at)
                        VALUES (?, 'For Sale', ?, lower(?), ?, ?, 1000, 'Artist', ?, ?)
                        """, arguments: [id, location, location, format, catno, seen, seen])
                }
            }
        }
        let inventory = try InventoryService.open(at: path)
        #expect(try inventory.database.appliedMigrations().count == inventory.database.registeredMigrations().count)
        #expect(try inventory.search(ListingQuery(sort: ListingSort(.location))).map(\.id) == [11, 10])
        #expect(try inventory.searchIDs(ListingQuery(text: "warp30")) == [10])
        #expect(Set(try inventory.facets(ListingQuery())[.format].map(\.value)) == ["LP", "Album", "7\"", "Single"])
        // Same posted time: first stored first (by when they were first seen).
        #expect(try inventory.searchIDs(ListingQuery()) == [11, 10])
        #expect(try inventory.database.integrityCheck().isEmpty)
    }
}
