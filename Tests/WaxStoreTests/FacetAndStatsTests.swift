import Foundation
import Testing
import WaxStore
import WaxTestSupport

@Suite struct FacetAndStatsTests {
    @Test func facetsCountTheCurrentSelection() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings([
            Fixture.listing(1, artist: "Björk", format: "LP, Album", condition: "Mint (M)", location: "A1", year: 1995, releaseID: 10),
            Fixture.listing(2, artist: "björk", format: "LP, Album", condition: "Very Good (VG)", location: "A1", year: 1997, releaseID: 11),
            Fixture.listing(3, artist: "Moodymann", format: "12\", EP", condition: "Mint (M)", location: "B2", year: 1997, releaseID: 12),
        ], releases: [
            Fixture.release(10, genres: ["Electronic", "Pop"]), Fixture.release(11, genres: ["Electronic"]),
            Fixture.release(12, genres: ["Electronic"], styles: ["Deep House"]),
        ])
        let all = try inventory.facets(ListingQuery())
        // Case and accent variants are one value, labelled as first seen.
        #expect(all[.artist] == [FacetValue(value: "Björk", count: 2), FacetValue(value: "Moodymann", count: 1)])
        #expect(all[.genre] == [FacetValue(value: "Electronic", count: 3), FacetValue(value: "Pop", count: 1)])
        #expect(all[.style] == [FacetValue(value: "Deep House", count: 1)])
        #expect(all[.year] == [FacetValue(value: "1997", count: 2), FacetValue(value: "1995", count: 1)])
        #expect(all[.location].first == FacetValue(value: "A1", count: 2))
        #expect(all[.status] == [FacetValue(value: "For Sale", count: 3)])

        var query = ListingQuery()
        query.condition = "mint"
        let mint = try inventory.facets(query)
        #expect(mint[.artist] == [FacetValue(value: "Björk", count: 1), FacetValue(value: "Moodymann", count: 1)])
        // Formats count by part ("7-inch" is one value, not a spelling per release).
        #expect(Set(mint[.format]) == [FacetValue(value: "LP", count: 1), FacetValue(value: "Album", count: 1),
                                       FacetValue(value: "12\"", count: 1), FacetValue(value: "EP", count: 1)])
        #expect(all[.format].first == FacetValue(value: "Album", count: 2))
        #expect(try inventory.facets(ListingQuery(text: "nothing-matches"))[.artist].isEmpty)
        #expect(try inventory.facets(ListingQuery(), limit: 1)[.artist].count == 1)
    }

    @Test func facetsFollowEnrichmentAndRemovals() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings([Fixture.listing(1, artist: "A", releaseID: 5), Fixture.listing(2, artist: "B", releaseID: 6)])
        #expect(try inventory.facets(ListingQuery())[.genre].isEmpty)
        try inventory.syncStore.storeReleases([Fixture.release(5, genres: ["Jazz"], styles: ["Hard Bop"])])
        #expect(try inventory.facets(ListingQuery())[.genre] == [FacetValue(value: "Jazz", count: 1)])
        #expect(try inventory.search(ListingQuery(text: "bop")).map(\.id) == [1])
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: [], removals: [1: "sold"], trigger: .test))
        #expect(try inventory.facets(ListingQuery())[.genre].isEmpty)
        #expect(try inventory.facets(ListingQuery())[.artist] == [FacetValue(value: "B", count: 1)])
    }

    @Test func statsSummariseTheShop() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        var twoCopies = Fixture.listing(3, format: "7\", Single", price: 5, currency: "EUR")
        twoCopies.quantity = 2
        _ = try inventory.importer.importListings([
            Fixture.listing(1, format: "LP, Album", condition: "Mint (M)", price: 10.5),
            Fixture.listing(2, format: "LP, Comp", condition: "Mint (M)", price: 4.25),
            twoCopies,
        ])
        let stats = try inventory.reports.stats()
        #expect(stats.totalListings == 3)
        #expect(stats.valueByCurrency == ["USD": 14.75, "EUR": 10])
        #expect(stats.byCondition["Mint (M)"] == 2)
        #expect(stats.byFormat == ["LP": 2, "7\"": 1])
        #expect(stats.lastUpdated != nil)
        #expect(stats.lastSync == nil)
        #expect(stats.releasesPending == 3)
    }
}
