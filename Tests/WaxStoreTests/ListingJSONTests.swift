import WaxJSON
import Foundation
import Testing
import WaxConfig
import WaxStore
import WaxTestSupport

@Suite struct ListingJSONTests {
    @Test func everyOldKeyIsThereWithTheOldTypes() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        var record = Fixture.listing(4330635876, artist: "HammerFall", title: "Glory To The Brave", label: "Nuclear Blast, Epic",
                                     format: "CD, Album, Promo", price: 100, currency: "EUR", year: 1997, releaseID: 5134861)
        record.weight = 100
        record.formatQuantity = 1
        var release = Fixture.release(5134861, genres: ["Rock"], styles: ["Heavy Metal", "Power Metal"])
        release.country = "Germany"
        release.masterID = 158143
        release.artists = ["HammerFall"]
        release.labels = [.init(name: "Nuclear Blast", catalogNumber: "NB 265-2")]
        release.formats = [.init(name: "CD", quantity: "1", descriptions: ["Album", "Promo"])]
        _ = try inventory.importer.importListings([record], releases: [release])
        let listing = try #require(try inventory.listing(id: 4330635876))
        let json = ListingJSON.object(listing)
        guard case .object(let object) = json else { Issue.record("not an object"); return }
        for key in ListingJSON.legacyKeys {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["listing_id"] == .string("4330635876"))            // ids as strings
        #expect(object["release_id"] == .string("5134861"))
        #expect(object["master_id"] == .string("158143"))
        #expect(object["price_value"] == .double(100))                     // numbers as numbers
        #expect(object["release_year"] == .string("1997"))
        #expect(object["format_quantity"] == .int(1))
        #expect(object["shipping_price"] == .null)                         // missing as null
        #expect(object["barcode"] == .null)
        #expect(object["genres"] == .string("Rock"))
        #expect(object["styles"] == .string("Heavy Metal; Power Metal"))   // ; -joined as before
        #expect(object["primary_label"] == .string("Nuclear Blast"))
        #expect(object["primary_format"] == .string("CD"))
        #expect(object["country"] == .string("Germany"))
        // The text is valid JSON that Foundation can read back.
        let decoded = try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any]
        #expect(decoded?["listing_id"] as? String == "4330635876")
        #expect(decoded?["price_value"] as? Double == 100)
    }

    @Test func exportedCSVImportsBackIdentically() throws {
        let dir = TemporaryDirectory()
        let source = try dir.inventory("a.db")
        var tricky = Fixture.listing(1, artist: "Björk, \"Live\"", title: "Line one\nline two", location: "50% off")
        tricky.weight = 230
        _ = try source.importer.importListings([tricky, Fixture.listing(2, artist: "B", price: 1.09)])
        let csv = ListingExport.csv(try source.allListings())
        let parsed = try CSVImport.parse(Data(csv.utf8))
        #expect(parsed.errors.isEmpty && parsed.format == .waxExport)
        let target = try dir.inventory("b.db")
        _ = try target.importer.importListings(parsed.records, releases: parsed.releases)
        // The listings are the same; the copy also knows when it was exported.
        func withoutLegacy(_ listing: Listing) -> ListingRecord {
            var record = listing.record
            record.legacy = nil
            return record
        }
        #expect(try source.allListings().map(withoutLegacy) == target.allListings().map(withoutLegacy))
        #expect(try target.allListings().allSatisfy { $0.record.legacy?.exportTimestamp != nil })
    }

    @Test func jsonEscapesControlCharactersAndKeepsUnicode() {
        let value = JSONValue.object(["a": .string("tab\there \"q\" \\ é 東京 \u{01}")])
        #expect(value.text == #"{"a":"tab\there \"q\" \\ é 東京 \u0001"}"#)
    }

    @Test func keysAreSortedByCodePointAndPrettyTextIndents() {
        let value = JSONValue.object(["é": .int(1), "b": .array([.null, .bool(true)]), "a": .double(2), "Z": .object([:])])
        #expect(value.text == #"{"Z":{},"a":2.0,"b":[null,true],"é":1}"#)
        #expect(value.prettyText == "{\n  \"Z\": {},\n  \"a\": 2.0,\n  \"b\": [\n    null,\n    true\n  ],\n  \"é\": 1\n}")
    }

    /// The bytes `wax serve` sends for a page of listings are the generic writer's, byte for byte.
    @Test func orderedListingBytesEqualTheGenericWriter() throws {
        let shop = ShopFixture.listings()
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
        let listings = try inventory.search(ListingQuery(), withReleases: true)
        #expect(listings.count == 16)
        let generic = JSONValue.array(listings.map(ListingJSON.object)).utf8
        #expect(ListingJSON.arrayUTF8(listings) == generic)
        #expect(ListingJSON.arrayUTF8([]) == Array("[]".utf8))
    }

    @Test func timestampsAreUTCWithOptionalMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_764_072_000.25)   // 2025-11-25T12:00:00.250Z
        #expect(Timestamp.string(date) == "2025-11-25T12:00:00Z")
        #expect(UTCTimestamp.string(date, fractional: true) == "2025-11-25T12:00:00.250Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}
