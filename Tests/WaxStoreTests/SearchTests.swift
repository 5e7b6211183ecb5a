import Foundation
import Testing
import WaxStore
import WaxTestSupport

@Suite struct SearchTests {
    let dir = TemporaryDirectory()
    let inventory: InventoryService

    init() throws {
        inventory = try dir.inventory()
        _ = try inventory.importer.importListings([
            Fixture.listing(1, artist: "Björk", title: "Army Of Me", label: "One Little Indian", format: "12\", Single",
                            condition: "Near Mint (NM or M-)", price: 25, posted: "2025-01-01T10:00:00-08:00", location: "A1", year: 1995),
            Fixture.listing(2, artist: "The Beatles", title: "Abbey Road", label: "Apple Records", format: "LP, Album",
                            condition: "Very Good (VG)", price: 40, posted: "2025-03-01T10:00:00-08:00", location: "B2", year: 1969),
            Fixture.listing(3, artist: "Tschüssi", title: "Auf Wiedersehen", label: "Kompakt", format: "LP, Album",
                            condition: "Mint (M)", price: 15, posted: "2025-02-01T10:00:00-08:00", location: "50% off shelf", year: 2019),
            Fixture.listing(4, artist: "Beat Happening", title: "Jamboree", label: "K Records", format: "Cassette, Album",
                            condition: "Good (G)", price: 8.5, posted: "2025-04-01T10:00:00-07:00", location: "bin_1", year: 1988,
                            comments: "Tape hiss; plays through"),
            Fixture.listing(5, artist: "Sigur Rós", title: "( )", label: "FatCat", format: "2xLP, Album",
                            condition: "Very Good Plus (VG+)", price: 60, posted: "2024-12-01T10:00:00-08:00", location: "bin 1", year: 2002),
            Fixture.listing(6, artist: "坂本龍一", title: "戦場のメリークリスマス", label: "London", format: "LP, Album",
                            condition: "Very Good Plus (VG+)", price: 30, currency: "JPY", posted: "2025-05-01T10:00:00-07:00", location: "C3", year: 1983),
        ])
    }

    func ids(_ query: ListingQuery) throws -> [Int64] { try inventory.search(query).map(\.id) }
    func ids(text: String) throws -> [Int64] { try ids(ListingQuery(text: text)) }

    @Test func accentsAndCaseDoNotMatter() throws {
        #expect(try ids(text: "bjork") == [1])
        #expect(try ids(text: "BJÖRK") == [1])
        #expect(try ids(text: "tschussi") == [3])
        #expect(try ids(text: "ros") == [5])
    }

    @Test func everyWordIsAPrefixAndAllMustMatch() throws {
        #expect(Set(try ids(text: "beat")) == [2, 4])          // Beatles, Beat Happening
        #expect(try ids(text: "beat happ") == [4])
        #expect(try ids(text: "beat road") == [2])             // artist and title words together
        #expect(try ids(text: "beat zzz").isEmpty)
        #expect(try ids(text: "happ beat") == [4])             // order does not matter
    }

    @Test func searchesLabelCatalogLocationAndComments() throws {
        #expect(try ids(text: "kompakt") == [3])
        #expect(try ids(text: "hiss") == [4])
        #expect(try ids(text: "c3") == [6])
        #expect(try ids(text: "戦場のメリークリスマス") == [6])
    }

    /// The old app's `q` was `title ILIKE '%q%' OR artist ILIKE '%q%'`: wax's free text finds
    /// all of that too (a superset), besides its word prefixes over more fields.
    @Test func theOldAppsSubstringsAreFoundToo() throws {
        #expect(try ids(text: "bbey") == [2])                  // inside a word of a title
        #expect(try ids(text: "eat hap") == [4])               // across a space, inside words
        #expect(try ids(text: "ÉATLE") == [2])                 // case and accents aside
        #expect(try ids(text: "50%") == [3])                   // "50" is a word of a location (wax's own)
        #expect(try ids(text: "%%%").isEmpty)                  // no words, in no title or artist
        #expect(try ids(text: "ppening") == [4])
        #expect(try ids(text: "hiss").count == 1)              // comments: words only
        #expect(try ids(text: "lesabb").isEmpty)               // never across an artist and a title
        #expect(try ids(text: "ppening\u{0}").isEmpty)         // a NUL is in no name (and is not a separator)
        #expect(try ids(text: "ppening").count == 1, "the next search is not thrown off")
        var removed = ListingQuery(text: "bbey")
        removed.includeRemoved = true
        #expect(try ids(removed) == [2], "the SQL path finds substrings too")
    }

    @Test func punctuationIsNeverQuerySyntax() throws {
        #expect(try ids(text: "\"beat").count == 2)
        #expect(try ids(text: "beat*") .count == 2)
        #expect(try ids(text: "NOT beat").isEmpty)          // a plain word "not", which nothing has
        #expect(try ids(text: "( )") == [5])                // no words, but the old app's substring: Sigur Rós's title
        #expect(try ids(text: "AND OR NEAR(").isEmpty)
    }

    @Test func filtersAreAccentInsensitiveSubstrings() throws {
        var query = ListingQuery()
        query.artist = "JORK"
        #expect(try ids(query) == [1])
        query.artist = "beat"
        #expect(Set(try ids(query)) == [2, 4])
        query.artist = "ü"                                    // folds to "u": Tschüssi and Sigur Rós
        #expect(Set(try ids(query)) == [3, 5])
        query.artist = "ÜSS"
        #expect(try ids(query) == [3])
        query = ListingQuery()
        query.format = "lp"
        #expect(Set(try ids(query)) == [2, 3, 5, 6])
        query.label = "records"
        #expect(Set(try ids(query)) == [2])
        query = ListingQuery()
        query.condition = "vg+"
        #expect(Set(try ids(query)) == [5, 6])
    }

    @Test func percentAndUnderscoreAreLiteral() throws {
        var query = ListingQuery()
        query.location = "50%"
        #expect(try ids(query) == [3])
        query.location = "%"
        #expect(try ids(query) == [3])
        query.location = "bin_"
        #expect(try ids(query) == [4])                         // not "bin 1"
        query.location = "_"
        #expect(try ids(query) == [4])
    }

    @Test func aFilterMatchingNothingGivesNothing() throws {
        var query = ListingQuery()
        query.artist = "nobody at all"
        #expect(try ids(query).isEmpty)
        #expect(try inventory.count(query) == 0)
    }

    @Test func priceAndYearRanges() throws {
        var query = ListingQuery()
        query.minPrice = 15
        query.maxPrice = 40
        #expect(Set(try ids(query)) == [2, 3, 1, 6])
        query = ListingQuery()
        query.minYear = 1980
        query.maxYear = 1995
        #expect(Set(try ids(query)) == [1, 4, 6])
    }

    @Test func defaultOrderIsNewestPostedFirst() throws {
        // Offsets differ (-07:00 and -08:00): order is by the UTC instant.
        #expect(try ids(ListingQuery()) == [6, 4, 2, 3, 1, 5])
    }

    @Test(arguments: SortField.allCases)
    func everySortWorksBothWays(field: SortField) throws {
        let ascending = try ids(ListingQuery(sort: ListingSort(field, descending: false)))
        let descending = try ids(ListingQuery(sort: ListingSort(field, descending: true)))
        #expect(ascending.count == 6)
        #expect(descending == ascending.reversed())
        let expectedAscending: [SortField: [Int64]] = [
            .posted: [5, 1, 3, 2, 4, 6], .price: [4, 3, 1, 6, 2, 5], .artist: [4, 1, 5, 2, 3, 6],
            .title: [5, 2, 1, 3, 4, 6], .year: [2, 6, 4, 1, 5, 3], .condition: [4, 2, 5, 6, 1, 3],
            .location: [3, 1, 2, 5, 4, 6],
        ]
        #expect(ascending == expectedAscending[field], "\(field)")
    }

    @Test func windowsAreSlicesOfTheWholeResult() throws {
        let all = try ids(ListingQuery(sort: ListingSort(.price)))
        var query = ListingQuery(sort: ListingSort(.price), limit: 2, offset: 0)
        var paged: [Int64] = []
        while true {
            let page = try ids(query)
            if page.isEmpty { break }
            paged += page
            query.offset += 2
        }
        #expect(paged == all)
        #expect(try inventory.count(ListingQuery(sort: ListingSort(.price), limit: 2)) == 6)
    }

    @Test func removedListingsAreHiddenUnlessAsked() throws {
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: [], removals: [2: "sold"], trigger: .test))
        #expect(try ids(text: "beat") == [4])
        var query = ListingQuery(text: "beat")
        query.includeRemoved = true
        #expect(Set(try ids(query)) == [2, 4])
        #expect(try inventory.count(query) == 2)
        #expect(try inventory.count(ListingQuery()) == 5)
        let removed = try #require(try inventory.listing(id: 2))
        #expect(removed.isRemoved && removed.removedReason == "sold")
        let problems = try inventory.database.integrityCheck()
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func listingByID() throws {
        let listing = try #require(try inventory.listing(id: 3))
        #expect(listing.record.artist == "Tschüssi")
        #expect(listing.record.location == "50% off shelf")
        #expect(try inventory.listing(id: 999) == nil)
    }
}
