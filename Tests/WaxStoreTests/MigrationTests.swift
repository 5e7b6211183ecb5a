import Foundation
import Testing
import WaxStore
import WaxTestSupport

@Suite struct MigrationTests {
    @Test func freshDatabaseHasTheWholeSchema() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let tables = try inventory.database.schemaObjects(type: "table")
        for table in ["listings", "listing_raw", "releases", "facet_values", "sync_runs", "listing_changes", "meta", "sellers", "listings_fts", "removed_fts"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let columns = try inventory.database.columns(of: "listings")
        for column in ["listing_id", "status", "condition", "sleeve_condition", "posted", "posted_at", "price_value",
                       "price_currency", "original_price_value", "shipping_price", "shipping_currency", "allow_offers",
                       "ships_from", "comments", "uri", "resource_url", "weight", "estimated_weight", "format_quantity",
                       "external_id", "location", "quantity", "release_id", "title", "year", "artist", "label",
                       "catalog_number", "format", "thumbnail_url", "image_uri", "image_resource_url",
                       "community_have", "community_want", "first_seen_at", "updated_at", "removed_at", "removed_reason"] {
            #expect(columns.contains(column), "listings lacks \(column)")
        }
        #expect(try inventory.database.journalMode() == "wal")
        #expect(try inventory.database.appliedMigrations().count == inventory.database.registeredMigrations().count)
    }

    /// FTS5 flushes a segment whenever a rebuild meets an id below the last one: the content
    /// view must yield ids in order even when an index (newest posted first) would be cheaper
    /// to scan. Out of order, a 100,000-row rebuild took 5.8 s instead of 1.5 s.
    @Test func theFullTextIndexIsRebuiltInIdOrder() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let listings = (1...3_000).map { id in
            Fixture.listing(Int64(id), artist: "Artist \(id)", title: "Title", posted: String(format: "20%02d-01-01T00:00:00Z", 99 - id % 90))
        }
        _ = try inventory.importer.importListings(listings)
        let order = try inventory.database.fullTextContentOrder()
        #expect(order.count == 3_000)
        #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 }, "the content view yields ids out of order")
        #expect(try inventory.searchIDs(ListingQuery(text: "artist 2999")) == [2999])
    }

    /// A bulk rebuild lends FTS5 a larger pending-terms buffer (fewer segments to merge) and
    /// gives it back in the same transaction, leaving an index that checks out.
    @Test func aBulkRebuildGivesBackItsLargerBuffer() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let listings = (1...3_000).map { Fixture.listing(Int64($0), artist: "Artist \($0)", title: "Title") }
        _ = try inventory.importer.importListings(listings)
        let sizes = try inventory.database.fullTextHashSizes()
        #expect(sizes == ["listings_fts": 1 << 20, "removed_fts": 1 << 20])
        #expect(try inventory.database.integrityCheck() == [])
        #expect(try inventory.searchIDs(ListingQuery(text: "artist 2999")) == [2999])
    }

    @Test func reopeningDoesNotMigrateAgainAndKeepsData() throws {
        let dir = TemporaryDirectory()
        let first = try dir.inventory()
        _ = try first.importer.importListings([Fixture.listing(1, artist: "A", title: "T")])
        try first.database.close()
        let second = try dir.inventory()
        #expect(try second.count(ListingQuery()) == 1)
    }

    @Test func manyProcessesOpeningANewFileAtOnceAllSucceed() async throws {
        // Staff starting wax at the same moment on a fresh server: the migration lock serialises them.
        let dir = TemporaryDirectory()
        let path = dir.file("shared.db")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask { try InventoryService.open(at: path).count(ListingQuery()) }
            }
            for try await count in group { #expect(count == 0) }
        }
    }

    @Test func createsMissingFolders() throws {
        let dir = TemporaryDirectory()
        let inventory = try InventoryService.open(at: dir.url.appendingPathComponent("a/b/c/wax.db"))
        #expect(try inventory.count(ListingQuery()) == 0)
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("junk.db")
        try Data(repeating: 0x41, count: 4096).write(to: path)
        #expect {
            _ = try InventoryService.open(at: path)
        } throws: { error in
            "\(error)".contains("is not a wax database")
        }
    }
}
