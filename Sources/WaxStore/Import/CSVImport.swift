import Foundation

/// Reads the two CSV shapes a shop has: the old Flask app's 39-column export (what the "CSV
/// system" wrote) and Discogs' own inventory export. The shape is told by the header.
public enum CSVImport {
    public enum Format: String, Sendable {
        case waxExport = "wax / Flask export (39 columns)"
        case discogsExport = "Discogs inventory export (19 columns)"
    }

    public struct Parsed: Sendable {
        public var format: Format
        /// Data rows seen (the header not counted), good or bad.
        public var totalRows: Int
        public var records: [ListingRecord]
        public var releases: [ReleaseRecord]
        public var errors: [CSVReader.RowError]
        /// How the bytes were read (a whole-file Latin-1 export is converted, and said so).
        public var encoding: CSVReader.Encoding = .utf8
    }

    public struct HeaderError: Error, CustomStringConvertible, Equatable {
        public var header: [String]
        public var description: String {
            "unrecognised CSV header (\(header.prefix(6).joined(separator: ","))…): expected the old app's export (listing_id, price_value, release_title, …) or a Discogs inventory export (listing_id, artist, title, …, media_condition, listed)"
        }
    }

    /// The old app's columns, as its export script wrote them (sorted).
    public static let waxColumns = [
        "artist_names", "barcode", "catalog_number", "comments", "condition", "country", "export_timestamp",
        "external_id", "format_names", "format_quantity", "genres", "image_resource_url", "image_uri",
        "label_names", "listing_id", "location", "master_id", "master_url", "posted", "price_currency",
        "price_value", "primary_artist", "primary_format", "primary_label", "release_community_have",
        "release_community_want", "release_id", "release_resource_url", "release_title", "release_uri",
        "release_year", "resource_url", "shipping_currency", "shipping_price", "sleeve_condition", "status",
        "styles", "uri", "weight",
    ]

    /// `GET /inventory/export/{id}/download`'s header, exactly.
    public static let discogsColumns = [
        "listing_id", "artist", "title", "label", "catno", "format", "release_id", "status", "price", "listed",
        "comments", "media_condition", "sleeve_condition", "accept_offer", "external_id", "weight",
        "format_quantity", "location", "quantity",
    ]

    public static func parse(_ data: Data) throws -> Parsed {
        try CSVReader.withText(data) { text, encoding in Result { try parse(text, encoding: encoding) } }.get().get()
    }

    /// Reads the header, then the rows on every core, each turned into its records on the
    /// thread that read it; then, in file order, refuses a listing id seen on an earlier line.
    private static func parse(_ text: UnsafeBufferPointer<UInt8>, encoding: CSVReader.Encoding) throws -> Parsed {
        var first: Result<CSVReader.Record, CSVReader.RowError>?
        let afterHeader = CSVReader.parseRecords(text, firstLine: 1) { first = $0; return false }
        let header: [String]
        switch first {
        case nil: throw CSVReader.FileError.empty
        case .success(let record): header = record.fields.map { $0.trimmed.lowercased() }
        case .failure(let error): throw error
        }
        let names = Set(header)
        let format: Format
        if names.contains("listing_id"), names.contains("price_value") || names.contains("release_title") {
            format = .waxExport
        } else if names.contains("listing_id"), names.contains("media_condition") || names.contains("listed") {
            format = .discogsExport
        } else {
            throw HeaderError(header: header)
        }
        let columns = Fields.index(header)
        let rows = UnsafeBufferPointer(rebasing: text[afterHeader.end...])
        // Room for every line at once: a piece's array doubling its way up copied it over and over.
        var pieces = CSVReader.read(rows, firstLine: afterHeader.lastLine, into: { bytes in
            var piece = [Converted]()
            piece.reserveCapacity(CSVReader.mostRecords(in: bytes))
            return piece
        }) { piece, row in
            piece.append(convert(row, header: header, columns: columns, format: format))
        }
        let total = pieces.reduce(0) { $0 + $1.count }
        var parsed = Parsed(format: format, totalRows: total, records: [], releases: [], errors: [], encoding: encoding)
        parsed.records.reserveCapacity(total)
        var seen: [Int64: Int] = [:]
        seen.reserveCapacity(total)
        var releasesSeen = Set<Int64>()
        for k in pieces.indices {
            // Each piece is taken and its rows moved out one by one, so that the rows are held
            // once plus one piece, not twice, and no field is retained for the copy and released
            // with the piece: 100,000 rows held 225 MB over the file instead of 284, and a
            // million parsed in 9.7-10.9 s instead of 11.7-12.3.
            var piece: [Converted] = []
            swap(&piece, &pieces[k])
            piece.reverse()
            while let converted = piece.popLast() {
                do {
                    let (line, listing, release) = try converted.get()
                    if let earlier = seen[listing.listingID] {
                        throw CSVReader.RowError(line: line, reason: "listing_id \(listing.listingID) already appeared on line \(earlier)")
                    }
                    seen[listing.listingID] = line
                    parsed.records.append(listing)
                    if let release, releasesSeen.insert(release.releaseID).inserted { parsed.releases.append(release) }
                } catch let error as CSVReader.RowError {
                    parsed.errors.append(error)
                }
            }
        }
        return parsed
    }

    private typealias Converted = Result<(line: Int, listing: ListingRecord, release: ReleaseRecord?), CSVReader.RowError>

    /// One row as its listing (and the release details it carries), or why it is not one.
    private static func convert(_ row: Result<CSVReader.Record, CSVReader.RowError>, header: [String], columns: [String: Int],
                                format: Format) -> Converted {
        let record: CSVReader.Record
        switch row {
        case .failure(let error): return .failure(error)
        case .success(let read): record = read
        }
        guard record.fields.count == header.count else {
            return .failure(CSVReader.RowError(line: record.line, reason: "\(record.fields.count) columns where the header has \(header.count)"))
        }
        do {
            let fields = Fields(index: columns, record: record)
            let (listing, release) = format == .waxExport ? try waxRow(fields) : (try discogsRow(fields), nil)
            return .success((record.line, listing, release))
        } catch let error as CSVReader.RowError {
            return .failure(error)
        } catch {
            return .failure(CSVReader.RowError(line: record.line, reason: "\(error)"))
        }
    }

    /// Typed access to one row's cells by column name.
    struct Fields {
        let index: [String: Int]
        let record: CSVReader.Record

        static func index(_ header: [String]) -> [String: Int] {
            var index: [String: Int] = [:]
            for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
            return index
        }

        /// A cell's text, spaces at both ends trimmed (as the old migration did: `"PRB 015 "`
        /// was `PRB 015` in the old app); nil when empty.
        func text(_ name: String) -> String? {
            guard let i = index[name] else { return nil }
            let value = record.fields[i].trimmed
            return value.isEmpty ? nil : value
        }

        /// A plain decimal (`12.50`, `-3`, `230.0`) within `range`: no hex, no exponent, no
        /// infinity, nothing Swift's `Double("0x10")` would quietly accept.
        func double(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
            guard let text = text(name)?.trimmed else { return nil }
            guard let value = Self.decimal(text), value.isFinite else { throw bad(name, text, "a number") }
            guard range.contains(value) else { throw bad(name, text, "between \(Self.show(range.lowerBound)) and \(Self.show(range.upperBound))") }
            return value
        }

        func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let value = try double(name, in: Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
            guard value == value.rounded() else { throw bad(name, text(name) ?? "", "a whole number") }
            return Int(value)
        }

        func id(_ name: String) throws -> Int64? {
            guard let text = text(name)?.trimmed else { return nil }
            guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int64(text), value > 0 else {
                throw bad(name, text, "a positive whole number")
            }
            return value
        }

        /// A time Discogs or the old app wrote (`2025-06-27T15:36:31-07:00`, `2025-06-27 15:36:31`).
        func date(_ name: String) throws -> String? {
            guard let text = text(name) else { return nil }
            guard PostedDate.parse(text) != nil else { throw bad(name, text, "a date and time (YYYY-MM-DDTHH:MM:SS, with or without an offset)") }
            return text
        }

        static func decimal(_ text: String) -> Double? {
            var digits = 0, dots = 0
            for (index, byte) in text.utf8.enumerated() {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
                case UInt8(ascii: "."): dots += 1
                case UInt8(ascii: "-") where index == 0, UInt8(ascii: "+") where index == 0: break
                default: return nil
                }
            }
            guard digits > 0, digits <= 18, dots <= 1 else { return nil }
            return Double(text)
        }

        static func show(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }

        func list(_ name: String) -> [String] {
            guard let text = text(name) else { return [] }
            let separator: Character = text.utf8.contains(UInt8(ascii: ";")) ? ";" : ","
            return text.split(separator: separator).map(\.trimmed).filter { !$0.isEmpty }
        }

        func bad(_ name: String, _ value: String, _ expected: String) -> CSVReader.RowError {
            let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
            return CSVReader.RowError(line: record.line, reason: "\(name) \"\(shown)\" is not \(expected)")
        }
    }

    /// What a cell may hold: a price of `1e308` made the stock worth "inf USD".
    enum Bounds {
        static let price: ClosedRange<Double> = 0.01...1_000_000
        static let shipping: ClosedRange<Double> = 0...1_000_000
        static let weight: ClosedRange<Double> = 0...1_000_000
        static let formatQuantity = 0...1_000
        static let quantity = 0...100_000
        static let year = 0...9_999
        static let count = 0...1_000_000_000
    }

    static func waxRow(_ f: Fields) throws -> (ListingRecord, ReleaseRecord?) {
        guard let id = try f.id("listing_id") else {
            throw CSVReader.RowError(line: f.record.line, reason: "listing_id is empty")
        }
        var r = ListingRecord(listingID: id, status: f.text("status").map(ListingStatus.init(rawValue:)) ?? .forSale)
        r.condition = f.text("condition")
        r.sleeveCondition = f.text("sleeve_condition")
        r.posted = try f.date("posted")
        r.priceValue = try f.double("price_value", in: Bounds.price)
        r.priceCurrency = f.text("price_currency")
        r.shippingPrice = try f.double("shipping_price", in: Bounds.shipping)
        r.shippingCurrency = f.text("shipping_currency")
        r.comments = f.text("comments")
        r.uri = f.text("uri")
        r.resourceURL = f.text("resource_url")
        r.weight = try f.double("weight", in: Bounds.weight)
        r.formatQuantity = try f.int("format_quantity", in: Bounds.formatQuantity)
        r.externalID = f.text("external_id")
        r.location = f.text("location")
        r.releaseID = try f.id("release_id")
        r.artist = f.text("artist_names") ?? f.text("primary_artist")
        r.title = f.text("release_title")
        r.label = f.text("label_names") ?? f.text("primary_label")
        r.catalogNumber = f.text("catalog_number")
        r.format = f.text("format_names") ?? f.text("primary_format")
        r.year = try f.int("release_year", in: Bounds.year).flatMap { $0 == 0 ? nil : $0 }
        r.releaseResourceURL = f.text("release_resource_url")
        r.imageURI = f.text("image_uri")
        r.imageResourceURL = f.text("image_resource_url")
        r.communityHave = try f.int("release_community_have", in: Bounds.count)
        r.communityWant = try f.int("release_community_want", in: Bounds.count)
        // Kept as the old app had them (its own primary label, e.g. "Arista, Arista").
        let exported = f.text("export_timestamp"), primaryLabel = f.text("primary_label")
        if exported != nil || primaryLabel != nil {
            r.legacy = ListingRecord.LegacyFields(exportTimestamp: exported, primaryLabel: primaryLabel)
        }

        // Release-level columns the old app filled from /releases: keep them as a release row
        // that enrichment will still refresh from Discogs.
        var release: ReleaseRecord?
        if let releaseID = r.releaseID {
            var candidate = ReleaseRecord(releaseID: releaseID, source: .csv)
            candidate.genres = f.list("genres")
            candidate.styles = f.list("styles")
            candidate.country = f.text("country")
            candidate.barcodes = f.list("barcode")
            candidate.masterID = try f.id("master_id")
            candidate.masterURL = f.text("master_url")
            candidate.uri = f.text("release_uri")
            if !candidate.genres.isEmpty || !candidate.styles.isEmpty || candidate.country != nil
                || !candidate.barcodes.isEmpty || candidate.masterID != nil || candidate.uri != nil {
                candidate.title = r.title
                candidate.year = r.year
                candidate.resourceURL = r.releaseResourceURL
                candidate.communityHave = r.communityHave
                candidate.communityWant = r.communityWant
                release = candidate
            }
        }
        return (r, release)
    }

    static func discogsRow(_ f: Fields) throws -> ListingRecord {
        guard let id = try f.id("listing_id") else {
            throw CSVReader.RowError(line: f.record.line, reason: "listing_id is empty")
        }
        var r = ListingRecord(listingID: id, status: f.text("status").map(ListingStatus.init(rawValue:)) ?? .forSale)
        r.artist = f.text("artist")
        r.title = f.text("title")
        r.label = f.text("label")
        r.catalogNumber = f.text("catno")
        r.format = f.text("format")
        r.releaseID = try f.id("release_id")
        r.priceValue = try f.double("price", in: Bounds.price)
        r.posted = try f.date("listed")
        r.comments = f.text("comments")
        r.condition = f.text("media_condition")
        r.sleeveCondition = f.text("sleeve_condition")
        if let offers = f.text("accept_offer")?.uppercased() {
            guard offers == "Y" || offers == "N" else { throw f.bad("accept_offer", offers, "Y or N") }
            r.allowOffers = offers == "Y"
        }
        r.externalID = f.text("external_id")
        r.weight = try f.double("weight", in: Bounds.weight)
        r.formatQuantity = try f.int("format_quantity", in: Bounds.formatQuantity)
        r.location = f.text("location")
        r.quantity = try f.int("quantity", in: Bounds.quantity)
        // The export carries no URLs; these two follow from the id.
        r.uri = "https://www.discogs.com/sell/item/\(id)"
        r.resourceURL = "https://api.discogs.com/marketplace/listings/\(id)"
        if let releaseID = r.releaseID { r.releaseResourceURL = "https://api.discogs.com/releases/\(releaseID)" }
        return r
    }
}
