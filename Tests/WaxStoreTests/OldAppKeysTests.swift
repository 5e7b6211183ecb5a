import Foundation
import Testing
import WaxJSON
@testable import WaxStore
import WaxTestSupport
import WaxTestTraits

/// The shop's scripts were written against the old app's JSON: every old key of every listing
/// of the real CSV must hold what the old app held, with the old type. The CSV is the old app's
/// own export of its database, so it says what each value was.
@Suite(.needsSharedData) struct OldAppKeysTests {
    /// The old app's types for the CSV's columns (everything else was text).
    static let doubles: Set = ["price_value", "shipping_price", "weight"]
    static let integers: Set = ["format_quantity", "release_community_have", "release_community_want"]

    @Test func everyOldKeyHoldsWhatTheOldAppHeld() throws {
        let data = try Data(contentsOf: SharedData.shopCSV)
        let rows = try CSVReader.parse(data).records.map { try $0.get() }
        let header = rows[0].fields
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let parsed = try CSVImport.parse(data)
        _ = try inventory.importer.importListings(parsed.records, releases: parsed.releases)
        var compared = 0
        for row in rows.dropFirst() {
            let cells = Dictionary(uniqueKeysWithValues: zip(header, row.fields))
            let id = try #require(Int64(cells["listing_id"]!))
            let listing = try #require(try inventory.listing(id: id))
            guard case .object(let object) = ListingJSON.object(listing) else { Issue.record("not an object"); return }
            for column in header {
                // The old migration trimmed text; an empty cell was NULL.
                let cell = cells[column]!.trimmingCharacters(in: .whitespaces)
                let expected: JSONValue
                if cell.isEmpty {
                    expected = .null
                } else if Self.doubles.contains(column) {
                    expected = .double(try #require(Double(cell)))
                } else if Self.integers.contains(column) {
                    expected = .int(try #require(Int64(cell)))
                } else {
                    expected = .string(cell)
                }
                #expect(object[column] == expected, "listing \(id), \(column): \(object[column].map { "\($0)" } ?? "missing") instead of \(expected)")
                compared += 1
            }
        }
        #expect(compared == 520 * 39)
    }

    @Test func tiesComeBackInTheOrderTheOldAppStoredThem() throws {
        let data = try Data(contentsOf: SharedData.shopCSV)
        let parsed = try CSVImport.parse(data)
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings(parsed.records, releases: parsed.releases)
        // The old app: posted, newest first; listings posted at the same second in file order.
        let expected = parsed.records.enumerated().sorted { a, b in
            let x = a.element.postedAt!, y = b.element.postedAt!
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element.listingID)
        let ties = Dictionary(grouping: parsed.records, by: { $0.posted! }).values.filter { $0.count > 1 }.reduce(0) { $0 + $1.count }
        #expect(ties == 229)
        #expect(try inventory.searchIDs(ListingQuery()) == expected)
        // A sync that rewrites them keeps the order.
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: parsed.records.reversed().map { var r = $0; r.priceValue = 1; return r }, trigger: .test))
        #expect(try inventory.searchIDs(ListingQuery()) == expected)
    }

    @Test func theOldTimestampsAndTheTypedYear() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        var record = Fixture.listing(1, artist: "A", title: "T", year: nil)
        record.legacy = .init(exportTimestamp: "2025-10-10T14:06:48.088079", primaryLabel: "Arista, Arista")
        _ = try inventory.importer.importListings([record], releases: [])
        let object = ListingJSON.object(try #require(try inventory.listing(id: 1)))
        #expect(object["release_year"] == .string("0") && object["year"] == .null)
        #expect(object["primary_label"] == .string("Arista, Arista"))
        #expect(object["export_timestamp"] == .string("2025-10-10T14:06:48.088079"))
        guard case .string(let created)? = object["created_at"] else { Issue.record("created_at"); return }
        #expect(created.firstMatch(of: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/) != nil, "\(created)")
        guard case .string(let updated)? = StatsJSON.object(try inventory.reports.stats())["last_updated"] else { Issue.record("last_updated"); return }
        #expect(updated.firstMatch(of: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/) != nil, "\(updated)")
    }
}
