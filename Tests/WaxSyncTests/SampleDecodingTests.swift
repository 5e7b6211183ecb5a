import Foundation
import Testing
import WaxStore
@testable import WaxSync
import WaxTestSupport
import WaxTestTraits

/// The real responses recorded from Discogs (../shared/data/discogs) decode, quirks and all.
@Suite(.needsSharedData) struct SampleDecodingTests {
    /// A recorded `.http` file: status line and headers, a blank line, the body.
    func body(ofHTTP name: String) throws -> Data {
        let text = try String(contentsOf: SharedData.discogs(name), encoding: .utf8)
        let parts = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        return Data(parts.dropFirst().joined(separator: "\n\n").utf8)
    }

    @Test func the2014InventoryPageDecodes() throws {
        let page = try DiscogsDecoding.page(try body(ofHTTP: "php-discogs-api_get_inventory_360vinyl_2014.http"))
        #expect(page.items == 479 && page.pages == 10 && page.page == 1 && page.listings.count == 50)
        #expect(page.next?.contains("page=2") == true)
        let first = try #require(page.listings.first)
        #expect(first.listingID == 129242581)
        #expect(first.priceValue == 2.99 && first.priceCurrency == "USD")
        #expect(first.posted == "2013-11-20T14:26:16")                     // no offset in 2014
        #expect(first.postedAt != nil)
        // The old, smaller release shape: artist and title come from the description.
        #expect(first.artist == "Max Sedgley" && first.title == "Slowly" && first.format == "12\"")
        #expect(first.catalogNumber == "SBEST34" && first.year == 2006)
        #expect(first.shippingPrice == nil && first.location == nil && first.weight == nil)
        #expect(first.sellerUsername == "360Vinyl")
        #expect(first.rawJSON?.contains("\"seller\"") == false)          // kept once, not per listing
    }

    @Test func the2014SingleListingDecodes() throws {
        let listing = try DiscogsDecoding.listing(try body(ofHTTP: "php-discogs-api_get_listing_2014.http"))
        #expect(listing.listingID == 172723812)
        #expect(listing.priceValue == 120 && listing.shippingPrice == 2.5 && listing.shippingCurrency == "USD")
        #expect(listing.artist == "LCD Soundsystem")
        #expect(listing.format == "5xLP + Box")
    }

    @Test func modernNonOwnerInventoryDecodes() throws {
        let page = try DiscogsDecoding.page(try Data(contentsOf: SharedData.discogs("andy-miles_GetInventoryResponse.json")))
        #expect(page.items == 2 && page.next == nil)
        let first = try #require(page.listings.first)
        #expect(first.listingID == 3526621535 && first.artist == "Live" && first.title == "Selling The Drama")
        #expect(first.shippingPrice == nil)                                 // {} means none
        #expect(first.allowOffers == true && first.location == nil)         // no owner-only fields
        #expect(first.imageURI?.hasPrefix("https://i.discogs.com/") == true)
    }

    @Test func aConvertedPriceKeepsBothValues() throws {
        let listing = try DiscogsDecoding.listing(try Data(contentsOf: SharedData.discogs("andy-miles_GetListingResponse.json")))
        #expect(listing.priceValue == 89.34117647058824 && listing.priceCurrency == "USD")
        #expect(listing.originalPriceValue == 75.94 && listing.originalPriceCurrency == "EUR")
    }

    @Test func theOwnerViewHasOwnerOnlyFieldsAndA64BitID() throws {
        let page = try DiscogsDecoding.page(try Data(contentsOf: SharedData.discogs("damidhagor_owner_view_inventory_status-Draft_2026-08-24.body.json")))
        let listing = try #require(page.listings.first)
        #expect(listing.listingID == 4330635876)                            // above 2^32
        #expect(listing.status == "Draft")
        #expect(listing.weight == 100 && listing.formatQuantity == 1 && listing.quantity == 1)
        #expect(listing.externalID == "API_TEST_EXTERNAL_ID" && listing.location == "API_TEST_LOCATION")
        #expect(page.seller?.username == "DamIDhagor")
        #expect(page.seller?.json.contains("\"rating\":\"0.0\"") == true)   // a rating sent as a string survives
    }

    @Test func thePublicExcerptHasEmptyImagesAndBigPagination() throws {
        let page = try DiscogsDecoding.page(try Data(contentsOf: SharedData.discogs("damidhagor_public_view_inventory_STIFFBEGGER_2026-08-24.EXCERPT.body.json")))
        #expect(page.items == 54564 && page.pages == 1092)
        let listing = try #require(page.listings.first)
        #expect(listing.thumbnailURL == nil && listing.imageURI == nil)      // "" and []
        #expect(listing.label == "Epic, Dragnet" && listing.year == 1996)
    }

    @Test func theExportCSVImports() throws {
        let parsed = try CSVImport.parse(try Data(contentsOf: SharedData.discogs("damidhagor_inventory_export_2026-08-25.csv")))
        #expect(parsed.records.first?.listingID == 4332778344)
    }
}

@Suite struct BadBodyTests {
    @Test(arguments: [
        ("", "an empty body"),
        ("<html><body>502 Bad Gateway</body></html>", "an HTML page"),
        ("{\"pagination\": {\"page\": 1, \"pages\": 2, \"items\"", "malformed or truncated JSON"),
        ("[1, 2, 3]", "a JSON array instead of an object"),
        ("{\"pagination\": {\"page\": 1}, \"listings\": {\"id\": 3}}", "listings: expected an array, got a object"),
        ("{\"pagination\": {\"page\": 1}, \"listings\": [{\"id\": \"x\"}]}", "listings[0].id: expected a whole number"),
        ("{\"pagination\": {\"page\": 1}, \"listings\": [{\"id\": 1, \"price\": {\"value\": true}}]}", "price.value: expected a number"),
    ])
    func unreadablePagesAreClearErrors(body: String, expected: String) {
        #expect {
            try DiscogsDecoding.page(Data(body.utf8))
        } throws: { error in
            "\(error)".contains(expected)
        }
    }
}
