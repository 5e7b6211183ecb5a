import Foundation
import Testing
import WaxStore
import WaxTestSupport
import WaxTestTraits

@Suite struct CSVImportTests {
    @Test(.needsSharedData)
    func theRealShopFileImportsAllRows() throws {
        let data = try Data(contentsOf: SharedData.shopCSV)
        let parsed = try CSVImport.parse(data)
        #expect(parsed.format == .waxExport)
        #expect(parsed.totalRows == 520)
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(parsed.records.count == 520)

        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let outcome = try inventory.importer.importListings(parsed.records, releases: parsed.releases)
        #expect(outcome.imported == 520 && outcome.updated == 0 && outcome.unchanged == 0)
        #expect(try inventory.count(ListingQuery()) == 520)

        // The first data row, field by field.
        let first = try #require(try inventory.listing(id: 3639550236))
        #expect(first.record.artist == "Anthony B / Heather Cummings")
        #expect(first.record.title == "Stop The Killing / I Don´t Want You Back")
        #expect(first.record.label == "Colomino Records")
        #expect(first.record.catalogNumber == "none")
        #expect(first.record.condition == "Very Good (VG)")
        #expect(first.record.sleeveCondition == "No Cover")
        #expect(first.record.priceValue == 1.09 && first.record.priceCurrency == "USD")
        #expect(first.record.posted == "2025-06-27T15:36:31-07:00")
        #expect(first.record.postedAt == Date(timeIntervalSince1970: 1_751_063_791))
        #expect(first.record.location == "colin house")
        #expect(first.record.weight == 60 && first.record.formatQuantity == 1)
        #expect(first.record.year == nil)                        // the file says 0: unknown
        #expect(first.record.releaseID == 11693605)
        #expect(first.record.comments == "some dust, light scratches and surface noise but certainly playable")

        // Importing the same file again changes nothing.
        let again = try inventory.importer.importListings(parsed.records, releases: parsed.releases)
        #expect(again.imported == 0 && again.updated == 0 && again.unchanged == 520)
        #expect(try inventory.database.integrityCheck().isEmpty)
    }

    @Test(.needsSharedData)
    func theRealFileSurvivesLineEndingAndBOMChanges() throws {
        let original = try String(contentsOf: SharedData.shopCSV, encoding: .utf8)
        let crlf = "\u{FEFF}" + original.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let a = try CSVImport.parse(Data(original.utf8))
        let b = try CSVImport.parse(Data(crlf.utf8))
        #expect(b.errors.isEmpty && b.records.count == 520)
        // Quoted multi-line comments keep their own line breaks (normalised with the file's).
        for (x, y) in zip(a.records, b.records) {
            #expect(x.listingID == y.listingID)
            #expect(x.comments?.replacingOccurrences(of: "\r\n", with: "\n") == y.comments?.replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }

    @Test(.needsSharedData)
    func theDiscogsExportSampleImports() throws {
        let parsed = try CSVImport.parse(try Data(contentsOf: SharedData.discogs("damidhagor_inventory_export_2026-08-25.csv")))
        #expect(parsed.format == .discogsExport)
        #expect(parsed.errors.isEmpty)
        let record = try #require(parsed.records.first)
        #expect(record.listingID == 4332778344)
        #expect(record.artist == "HammerFall" && record.title == "Glory To The Brave")
        #expect(record.format == "CD, Album, Promo" && record.catalogNumber == "NB 265-2")
        #expect(record.status == "Draft" && record.priceValue == 100)
        #expect(record.posted == "2026-08-25 07:04:22")
        #expect(record.postedAt == Date(timeIntervalSince1970: 1_787_666_662))   // 07:04:22 US-Pacific = 14:04:22 UTC
        #expect(record.allowOffers == false && record.quantity == 1 && record.weight == 100)
        #expect(record.location == "API_TEST_LOCATION" && record.externalID == "API_TEST_EXTERNAL_ID")
    }

    func parse(_ text: String) throws -> CSVImport.Parsed { try CSVImport.parse(Data(text.utf8)) }

    static let header = CSVImport.discogsColumns.joined(separator: ",")

    @Test func aBadNumberSkipsOnlyThatRowAndNamesItsLine() throws {
        let parsed = try parse("""
        \(Self.header)
        1,A,T,L,C,LP,10,For Sale,12.50,2025-01-01 10:00:00,,Mint (M),Mint (M),Y,,,1,,1
        2,B,T,L,C,LP,11,For Sale,twelve,2025-01-01 10:00:00,,Mint (M),Mint (M),Y,,,1,,1
        3,C,T,L,C,LP,12,For Sale,5,2025-01-01 10:00:00,,Mint (M),Mint (M),N,,,1,,1
        """)
        #expect(parsed.records.map(\.listingID) == [1, 3])
        #expect(parsed.errors == [CSVReader.RowError(line: 3, reason: "price \"twelve\" is not a number")])
        #expect(parsed.totalRows == 3)
    }

    @Test func wrongColumnCountIsARowError() throws {
        let parsed = try parse("\(Self.header)\n1,A,T\n2,B,T,L,C,LP,11,For Sale,5,2025-01-01 10:00:00,,M,M,Y,,,1,,1\n")
        #expect(parsed.records.map(\.listingID) == [2])
        #expect(parsed.errors.first?.line == 2)
        #expect(parsed.errors.first?.reason.contains("3 columns where the header has 19") == true)
    }

    @Test func anUnterminatedQuoteIsReportedAtTheLineItOpens() throws {
        let parsed = try parse("\(Self.header)\n1,A,T,L,C,LP,10,For Sale,5,2025-01-01 10:00:00,ok,M,M,Y,,,1,,1\n2,B,T,L,C,LP,11,For Sale,5,2025-01-01 10:00:00,\"never closed,M,M,Y,,,1,,1\n3,C\n")
        #expect(parsed.records.map(\.listingID) == [1])
        #expect(parsed.errors.count == 1)
        #expect(parsed.errors.first?.line == 3)
        #expect(parsed.errors.first?.reason.contains("unterminated quote") == true)
    }

    @Test func multiLineQuotedFieldsKeepLineNumbersRight() throws {
        let parsed = try parse("\(Self.header)\n1,A,T,L,C,LP,10,For Sale,5,,\"line one\nline two\n\"\"quoted\"\"\",M,M,Y,,,1,,1\n2,B,T,L,C,LP,11,For Sale,x,,,M,M,Y,,,1,,1\n")
        #expect(parsed.records.first?.comments == "line one\nline two\n\"quoted\"")
        #expect(parsed.errors.first?.line == 5)
    }

    @Test func anEmptyFileIsAnError() {
        #expect(throws: CSVReader.FileError.empty) { try parse("") }
        #expect(throws: CSVReader.FileError.empty) { try parse("\u{FEFF}\n\n") }
    }

    @Test func binaryJunkIsAnError() {
        var junk = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00])
        junk.append(Data((0..<200).map { UInt8($0) }))
        #expect { try CSVImport.parse(junk) } throws: { "\($0)".contains("not a CSV text file") }
        // Not one well-formed UTF-8 letter: read as Latin-1, which makes no known header.
        #expect { try CSVImport.parse(Data([0xC3, 0x28, 0x41])) } throws: { "\($0)".contains("unrecognised CSV header") }
    }

    @Test(.needsSharedData)
    func oneLatin1ByteSkipsItsRowNotTheFile() throws {
        // The real file with one `é` re-saved as Latin-1 (0xE9) on a row from line 301 on.
        var bytes = [UInt8](try Data(contentsOf: SharedData.shopCSV))
        var line = 1, index = 0
        while index + 1 < bytes.count, !(line >= 301 && bytes[index] == 0xC3 && bytes[index + 1] == 0xA9) {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        bytes.replaceSubrange(index...(index + 1), with: [0xE9])
        let parsed = try CSVImport.parse(Data(bytes))
        #expect(parsed.encoding == .utf8)
        #expect(parsed.records.count == 519 && parsed.totalRows == 520)
        // The record holding that byte starts on its line or, inside a multi-line comment, before.
        let error = try #require(parsed.errors.first)
        #expect(parsed.errors.count == 1 && error.line <= line && error.line > line - 10)
        #expect(error.reason.contains("is not UTF-8 text"))
    }

    @Test func aWholeLatin1FileIsReadAsLatin1() throws {
        let text = "\(Self.header)\n1,Bj\u{F6}rk,Caf\u{E9},L,C,LP,10,For Sale,5,2025-01-01 10:00:00,,M,M,Y,,,1,,1\n"
        let parsed = try CSVImport.parse(Data(text.unicodeScalars.map { UInt8($0.value) }))
        #expect(parsed.encoding == .latin1)
        #expect(parsed.records.first?.artist == "Björk" && parsed.records.first?.title == "Café")
    }

    @Test func numbersAndDatesAreCheckedRowByRow() throws {
        func row(_ id: Int, price: String, listed: String = "2025-01-01 10:00:00", weight: String = "") -> String {
            "\(id),A,T,L,C,LP,10,For Sale,\(price),\(listed),,M,M,Y,,\(weight),1,,1"
        }
        let rows = [row(1, price: "12.50"), row(2, price: "0x10"), row(3, price: "1e308"), row(4, price: "-5"),
                    row(5, price: "inf"), row(6, price: "7", listed: "not a date"), row(7, price: "0"),
                    row(8, price: "3", weight: "-1"), row(9, price: "1000001")]
        let parsed = try parse(([Self.header] + rows).joined(separator: "\n") + "\n")
        #expect(parsed.records.map(\.listingID) == [1])
        #expect(parsed.errors.map(\.description) == [
            "line 3: price \"0x10\" is not a number",
            "line 4: price \"1e308\" is not a number",
            "line 5: price \"-5\" is not between 0.01 and 1000000",
            "line 6: price \"inf\" is not a number",
            "line 7: listed \"not a date\" is not a date and time (YYYY-MM-DDTHH:MM:SS, with or without an offset)",
            "line 8: price \"0\" is not between 0.01 and 1000000",
            "line 9: weight \"-1\" is not between 0 and 1000000",
            "line 10: price \"1000001\" is not between 0.01 and 1000000",
        ])
    }

    @Test func anUnknownHeaderIsAnError() {
        #expect { try parse("name,price\nfoo,1\n") } throws: { "\($0)".contains("unrecognised CSV header") }
    }

    @Test func aTruncatedFileKeepsTheCompleteRows() throws {
        let full = "\(Self.header)\n1,A,T,L,C,LP,10,For Sale,5,2025-01-01 10:00:00,,M,M,Y,,,1,,1\n2,B,T,L,C,LP,11,For Sale,5,2025-01-01 10:00:00,,M,M,Y,,,1,,1\n"
        let parsed = try parse(String(full.dropLast(30)))
        #expect(parsed.records.map(\.listingID) == [1])
        #expect(parsed.errors.first?.line == 3)
    }

    @Test func duplicateListingIDsAreReported() throws {
        let parsed = try parse("\(Self.header)\n1,A,T,L,C,LP,10,For Sale,5,,,M,M,Y,,,1,,1\n1,A,T,L,C,LP,10,For Sale,6,,,M,M,Y,,,1,,1\n")
        #expect(parsed.records.count == 1)
        #expect(parsed.errors.first?.reason.contains("already appeared on line 2") == true)
    }

    /// A file large enough to be read in pieces on every core, each row turned into its listing
    /// where it was read: duplicates across pieces, bad rows and line numbers come out as they
    /// would from one piece, in file order.
    @Test func aLargeFileIsReadInPiecesWithEveryRowErrorAndDuplicateInFileOrder() throws {
        let rows = 45_000
        var text = "\r\n\r\n\(Self.header)\r\n"   // blank lines before the header: it is on line 3
        for i in 1...rows {
            let id = i == 40_000 ? 7 : i                          // repeats row 7's id near the end
            let price = i == 12_345 ? "cheap" : "\(i % 90 + 1).50"
            text += "\(id),Artist \(i % 311),Title \(i),Label,CAT \(i),LP,\(i + 100),For Sale,\(price),2025-01-01 10:00:00,"
                + "\"Plays fine,\nsecond line of \(i)\",M,M,Y,,,1,,1\r\n"
        }
        #expect(text.utf8.count > 5 << 20, "large enough to be cut into pieces (from 4 MB, one per MB)")
        let parsed = try parse(text)
        // Row i starts on line 4 + 2(i - 1): the header is line 3, each comment spans two lines.
        #expect(parsed.totalRows == rows)
        #expect(parsed.errors.map(\.line) == [4 + 2 * 12_344, 4 + 2 * 39_999])
        #expect(parsed.errors.last?.reason == "listing_id 7 already appeared on line \(4 + 2 * 6)")
        #expect(parsed.records.count == rows - 2)
        let ids = parsed.records.map(\.listingID)
        #expect(ids == (1...rows).filter { $0 != 12_345 && $0 != 40_000 }.map(Int64.init))
        #expect(parsed.records.last?.comments == "Plays fine,\nsecond line of \(rows)")
    }

    /// Rows are written in id order (fast), yet listings listed in the same second keep the
    /// order they came in (a file's, Discogs'), as they did when rows were written as they came.
    @Test(arguments: ["import", "first sync"])
    func listingsOfTheSameSecondKeepTheOrderTheyCameInWhateverTheirIDs(by writer: String) throws {
        for rows in [5, 2_500] {   // a few rows, and enough to be a bulk write
            let ids = (0..<rows).map { 1_000 + $0 * 7_919 % rows }   // every id once, scattered
            var text = "\(Self.header)\n"
            for id in ids { text += "\(id),A,T,L,C,LP,10,For Sale,5,2025-01-01 10:00:00,,M,M,Y,,,1,,1\n" }
            let parsed = try parse(text)
            let dir = TemporaryDirectory()
            let inventory = try dir.inventory()
            if writer == "import" {
                #expect(try inventory.importer.importListings(parsed.records).imported == rows)
            } else {
                #expect(try inventory.syncStore.applySnapshot(SnapshotApply(listings: parsed.records, trigger: .test)).added == rows)
            }
            let shown = try inventory.search(ListingQuery(limit: nil)).map(\.id)
            try #require(shown.count == rows)
            let firstOutOfPlace = ids.indices.first { shown[$0] != Int64(ids[$0]) }
            #expect(firstOutOfPlace == nil, "\(rows) rows: out of the file's order from row \(firstOutOfPlace ?? -1)")
        }
    }

    @Test func clearingEmptiesTheMirrorInTheSameTransaction() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings([Fixture.listing(1, artist: "Old"), Fixture.listing(2, artist: "Old")])
        let outcome = try inventory.importer.importListings([Fixture.listing(3, artist: "New")], clearFirst: true)
        #expect(outcome.cleared == 2 && outcome.imported == 1)
        #expect(try inventory.search(ListingQuery()).map(\.id) == [3])
        #expect(try inventory.search(ListingQuery(text: "old")).isEmpty)
        #expect(try inventory.database.integrityCheck().isEmpty)
    }

    @Test func oldFormatReleaseColumnsBecomeSearchableGenres() throws {
        let header = CSVImport.waxColumns.joined(separator: ",")
        let values: [String: String] = ["listing_id": "7", "release_id": "99", "genres": "Electronic; Hip Hop",
                                        "styles": "Boom Bap", "artist_names": "Pete Rock", "price_value": "9.5", "status": "For Sale"]
        let row = CSVImport.waxColumns.map { values[$0] ?? "" }.joined(separator: ",")
        let parsed = try parse(header + "\n" + row + "\n")
        #expect(parsed.errors.isEmpty)
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings(parsed.records, releases: parsed.releases)
        #expect(try inventory.search(ListingQuery(text: "boom")).map(\.id) == [7])
        var query = ListingQuery()
        query.genre = "hip"
        #expect(try inventory.search(query).map(\.id) == [7])
        #expect(try inventory.facets(ListingQuery())[.genre].map(\.value).sorted() == ["Electronic", "Hip Hop"])
    }
}

/// The floor `wax-bench store` compares an import with: every row of the CSV, in a bare
/// table and its full-text index, and nothing left behind.
@Suite struct WriteFloorTests {
    @Test(arguments: [WriteJournal.wal, .rollback])
    func theFloorHoldsEveryRowAndCleansUp(journal: WriteJournal) throws {
        let folder = TemporaryDirectory()
        var csv = CSVReader.line(CSVImport.waxColumns)
        for id in 1...3 {
            csv += CSVReader.line(CSVImport.waxColumns.map { $0 == "listing_id" ? String(id) : $0 == "comments" ? "VG+, \"clean\"\nlabel" : "x" })
        }
        let database = folder.file("floor.db")
        let figures = try WriteFloor.measure(csv: Data(csv.utf8), at: database, journal: journal)
        #expect(figures.rows == 3 && figures.indexedRows == 3)
        #expect(figures.bareInsertSeconds >= 0 && figures.bareFullTextSeconds >= 0)
        for suffix in ["", "-wal", "-shm", "-journal"] { #expect(!FileManager.default.fileExists(atPath: database.path + suffix)) }
    }

    /// The floor `wax-bench sync` compares a first sync with: every listing of the mirror,
    /// current or removed, with what Discogs sent for it.
    @Test func theFloorOfAMirrorHoldsEveryListingWithItsRawJSON() throws {
        let folder = TemporaryDirectory()
        let inventory = try InventoryService.open(at: folder.file("mirror.db"))
        let listings = (1...4).map { id in
            var listing = ListingRecord(listingID: Int64(id))
            listing.artist = "Artist \(id)"
            listing.title = "Title \(id)"
            listing.rawJSON = #"{"id":\#(id),"release":{"images":[]}}"#
            return listing
        }
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: listings, trigger: .test))
        _ = try inventory.syncStore.applySnapshot(SnapshotApply(listings: Array(listings.dropFirst()), removals: [1: "sold"], trigger: .test))
        let database = folder.file("floor.db")
        let figures = try WriteFloor.measure(copyOf: folder.file("mirror.db"), at: database, journal: .wal)
        #expect(figures.rows == 4 && figures.indexedRows == 4)
        #expect(!FileManager.default.fileExists(atPath: database.path))
    }
}
