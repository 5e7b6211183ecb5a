import Foundation
import GRDB
import WaxConfig

/// Writes listing rows with everything derived from them (sort keys, facet ids, genres from the
/// release) so that no other code has to know those columns exist. Lives for one transaction.
final class ListingWriter {
    /// How many rows the transaction writes: `bulk` reads what it compares against once (an
    /// import, a snapshot); `few` looks each thing up as it comes (a staff action, a
    /// confirmation: reading 100,000 listings' release ids cost a confirmation 60 ms).
    enum Scale { case few, bulk }

    private let db: Database
    private let facets: FacetIDAllocator
    private var releaseLists: [Int64: ReleaseLists] = [:]
    /// `releaseLists` as its listings' columns (`releaseColumns`); forgotten when a release is stored.
    private var releaseColumnsByID: [Int64: ReleaseColumns] = [:]
    /// The next first-stored number (`seq`) a new row gets; read when first needed.
    private var nextSeqValue: Int64?
    /// Where each release the writer has met came from (nil: not in the mirror).
    private var releaseSources: [Int64: ReleaseRecord.Source?] = [:]
    private let releasesPreloaded: Bool
    /// No listing existed when the transaction began: storing a release has no listings to refresh
    /// until this writer adds them (and those read the release's genres as they are written).
    private var listingsWereEmpty: Bool
    /// The derived columns of values that repeat across rows, each distinct one computed once
    /// (an import of 100,000 rows has a tenth as many artists, a few hundred bins and formats),
    /// and looked up once per row: a lookup per derived column (the key, then the facet id, of
    /// the same text; a release's genres joined again for each of its listings) was a quarter of
    /// a million-row import's rows phase.
    private var titleKeys: [String: String] = [:]
    private var artistColumns: [String: KeyAndFacet] = [:]
    private var locationColumns: [String: KeyAndFacet] = [:]
    private var formatIDs: [String: Int64?] = [:]
    /// Past this many distinct values a cache stops growing (its memory, not its speed, bounds it).
    private static let cacheLimit = 200_000
    let now: String

    private let listingBinder: SQLiteBinder
    private let rawBinder: SQLiteBinder
    private let releaseBinder: SQLiteBinder

    init(_ db: Database, now: Date = Date(), scale: Scale = .few) throws {
        self.db = db
        self.listingBinder = SQLiteBinder(try db.makeStatement(sql: Self.upsertSQL))
        self.rawBinder = SQLiteBinder(try db.makeStatement(sql: """
            INSERT INTO listing_raw(listing_id, json) VALUES (?, ?) ON CONFLICT(listing_id) DO UPDATE SET json = excluded.json
            """))
        let columns = ReleaseColumn.allCases.map(\.name)
        self.releaseBinder = SQLiteBinder(try db.makeStatement(sql: """
            INSERT INTO releases(\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            ON CONFLICT(release_id) DO UPDATE SET \(columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """))
        self.facets = try FacetIDAllocator(db, preload: scale == .bulk)
        self.releasesPreloaded = scale == .bulk
        if scale == .bulk {
            let rows = try Row.fetchCursor(db, sql: "SELECT release_id, source FROM releases")
            while let row = try rows.next() { releaseSources[row[0]] = .some(ReleaseRecord.Source(rawValue: row[1] ?? "") ?? .discogs) }
        }
        self.listingsWereEmpty = try StoredListings.none(db)
        self.now = Timestamp.string(now)
    }

    private func nextSeq() throws -> Int64 {
        try reserveSeqs(1)
    }

    /// Sets aside `count` first-stored numbers and returns the first: a bulk write numbers its
    /// rows in the order it was given them, then writes them in `writingOrder`.
    func reserveSeqs(_ count: Int) throws -> Int64 {
        let next = try nextSeqValue ?? (Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM listings") ?? 0) + 1
        nextSeqValue = next + Int64(count)
        return next
    }

    /// The order to write `ids`' rows in: by listing id. Written so, the table and its full-text
    /// index are appended to. A shop's own order is random by id, and a million rows written in
    /// it split pages all over a table larger than the cache: the rows took 41 s instead of 18,
    /// and 8 GB were written for a 1 GB mirror.
    static func writingOrder(_ ids: [Int64]) -> [Int] {
        var order = Array(ids.indices)
        if zip(ids, ids.dropFirst()).contains(where: { $0 > $1 }) { order.sort { ids[$0] < ids[$1] } }
        return order
    }

    /// Where release `id` came from, or nil when the mirror does not have it.
    private func source(ofRelease id: Int64) throws -> ReleaseRecord.Source? {
        if let known = releaseSources[id] { return known }
        guard !releasesPreloaded else { return nil }
        let source = try String.fetchOne(db.cachedStatement(sql: "SELECT source FROM releases WHERE release_id = ?"), arguments: [id])
            .map { ReleaseRecord.Source(rawValue: $0) ?? .discogs }
        releaseSources[id] = .some(source)
        return source
    }

    /// Every column, in `ListingColumn` order; an update keeps `first_seen_at`.
    private static let upsertSQL: String = {
        let columns = ListingColumn.allCases
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let updates = columns.filter { !$0.keptOnUpdate }.map { "\($0.name) = excluded.\($0.name)" }.joined(separator: ", ")
        return "INSERT INTO listings(\(columns.map(\.name).joined(separator: ", "))) VALUES (\(placeholders)) " +
            "ON CONFLICT(listing_id) DO UPDATE SET \(updates)"
    }()

    /// Inserts or replaces a listing. `first_seen_at` and `seq` are kept for existing rows; a new
    /// one gets `seq`, or the next number.
    /// `exportedAt` is the old app's `export_timestamp` for a row a sync writes (a CSV's own
    /// comes in the record); `updatedAt`, when given, keeps a row's time (a migration
    /// re-deriving columns changes nothing a person would call an update).
    func upsert(_ r: ListingRecord, removedAt: String? = nil, removedReason: RemovalReason? = nil, exportedAt: String? = nil,
                updatedAt: String? = nil, seq: Int64? = nil) throws {
        listingsWereEmpty = false
        let row = Derived(release: try releaseColumns(for: r.releaseID),
                          artist: try cached(r.artist, in: &artistColumns) { KeyAndFacet(key: TextFold.fold($0), facetID: try facets.id(.artist, $0)) },
                          titleKey: r.title.map { title in cached(title, in: &titleKeys) { TextFold.fold($0) } },
                          location: try cached(r.location, in: &locationColumns) { KeyAndFacet(key: NaturalKey.of($0), facetID: try facets.id(.location, $0)) },
                          formatID: try cached(r.format, in: &formatIDs) { try facets.id(.format, FormatParts.joined($0)) },
                          removedAt: removedAt, removedReason: removedReason?.text, exportedAt: exportedAt ?? r.legacy?.exportTimestamp,
                          updatedAt: updatedAt ?? now, seq: try seq ?? nextSeq())
        var b = listingBinder
        for column in ListingColumn.allCases { try bind(column, of: r, row, into: &b) }
        try b.run(db)
        if let raw = r.rawJSON {
            var raws = rawBinder
            raws.bind(r.listingID)
            raws.bind(raw)
            try raws.run(db)
        }
    }

    /// What a row holds besides its record.
    private struct Derived {
        var release: ReleaseColumns
        var artist: KeyAndFacet
        var titleKey: String?
        var location: KeyAndFacet
        var formatID: Int64?
        var removedAt: String?
        var removedReason: String?
        var exportedAt: String?
        var updatedAt: String
        var seq: Int64
    }

    /// A value's sort key and facet id.
    private struct KeyAndFacet {
        var key: String?
        var facetID: Int64?
    }

    /// What a listing takes from its release.
    private struct ReleaseLists {
        var genres: [String] = []
        var styles: [String] = []
        var barcodes: [String] = []
    }

    /// The same as its listings' columns: joined, with their facet ids, computed for the
    /// release's first listing and kept for the others.
    private struct ReleaseColumns {
        var genres: String?
        var styles: String?
        var genreID: Int64?
        var styleID: Int64?
        var barcodes: [String] = []
    }

    /// The value of `column` for this record: the one place that knows what each column holds.
    private func bind(_ column: ListingColumn, of r: ListingRecord, _ row: Derived, into b: inout SQLiteBinder) throws {
        switch column {
        case .listingID: b.bind(r.listingID)
        case .status: b.bind(r.status.rawValue)
        case .condition: b.bind(r.condition)
        case .sleeveCondition: b.bind(r.sleeveCondition)
        case .posted: b.bind(r.posted)
        case .priceValue: b.bind(r.priceValue)
        case .priceCurrency: b.bind(r.priceCurrency)
        case .originalPriceValue: b.bind(r.originalPriceValue)
        case .originalPriceCurrency: b.bind(r.originalPriceCurrency)
        case .shippingPrice: b.bind(r.shippingPrice)
        case .shippingCurrency: b.bind(r.shippingCurrency)
        case .allowOffers: b.bind(r.allowOffers)
        case .shipsFrom: b.bind(r.shipsFrom)
        case .comments: b.bind(r.comments)
        case .uri: b.bind(r.uri == ListingRecord.canonicalURI(r.listingID) ? nil : r.uri)
        case .resourceURL: b.bind(r.resourceURL == ListingRecord.canonicalResourceURL(r.listingID) ? nil : r.resourceURL)
        case .weight: b.bind(r.weight)
        case .estimatedWeight: b.bind(r.estimatedWeight)
        case .formatQuantity: b.bind(r.formatQuantity)
        case .externalID: b.bind(r.externalID)
        case .location: b.bind(r.location)
        case .quantity: b.bind(r.quantity)
        case .releaseID: b.bind(r.releaseID)
        case .artist: b.bind(r.artist)
        case .title: b.bind(r.title)
        case .label: b.bind(r.label)
        case .catalogNumber: b.bind(r.catalogNumber)
        case .format: b.bind(r.format)
        case .year: b.bind(r.year)
        case .releaseDescription: b.bind(r.releaseDescription)
        case .releaseResourceURL: b.bind(r.releaseID.map(ListingRecord.canonicalReleaseURL) == r.releaseResourceURL ? nil : r.releaseResourceURL)
        case .thumbnailURL: b.bind(r.thumbnailURL)
        case .imageURI: b.bind(r.imageURI)
        case .imageResourceURL: b.bind(r.imageResourceURL == r.imageURI ? nil : r.imageResourceURL)
        case .communityHave: b.bind(r.communityHave)
        case .communityWant: b.bind(r.communityWant)
        case .sellerUsername: b.bind(r.sellerUsername)
        case .genres: b.bind(row.release.genres)
        case .styles: b.bind(row.release.styles)
        case .conditionRank: b.bind(ConditionGrade(discogs: r.condition)?.rawValue)
        case .postedAt: b.bind(r.postedAt.map { Int64($0.timeIntervalSince1970) })
        case .artistKey: b.bind(row.artist.key)
        case .titleKey: b.bind(row.titleKey)
        case .locationKey: b.bind(row.location.key)
        case .artistFID: b.bind(row.artist.facetID)
        case .labelFID: b.bind(try facets.id(.label, r.label))
        case .formatFID: b.bind(row.formatID)
        case .genreFID: b.bind(row.release.genreID)
        case .styleFID: b.bind(row.release.styleID)
        case .locationFID: b.bind(row.location.facetID)
        case .conditionFID: b.bind(try facets.id(.condition, r.condition))
        case .sleeveFID: b.bind(try facets.id(.sleeveCondition, r.sleeveCondition))
        case .statusFID: b.bind(try facets.id(.status, r.status.rawValue))
        case .contentHash: b.bind(ContentHash.of(r))
        case .searchCodes: b.bind(SearchCodes.of(r, barcodes: row.release.barcodes))
        case .firstSeenAt: b.bind(now)
        case .updatedAt: b.bind(row.updatedAt)
        case .removedAt: b.bind(row.removedAt)
        case .removedReason: b.bind(row.removedReason)
        case .seq: b.bind(row.seq)
        case .exportedAt: b.bind(row.exportedAt)
        case .primaryLabel: b.bind(r.legacy?.primaryLabel)
        }
    }

    /// Marks a listing removed (sold, deleted, no longer for sale): the row stays.
    func markRemoved(_ listingID: Int64, reason: RemovalReason) throws {
        try db.cachedStatement(sql: "UPDATE listings SET removed_at = ?, removed_reason = ?, updated_at = ? WHERE listing_id = ? AND removed_at IS NULL")
            .execute(arguments: [now, reason.text, now, listingID])
    }

    // MARK: Releases

    /// Stores a release and refreshes the genres and styles of every listing of it.
    /// A release fetched from Discogs is never overwritten by one from a CSV file.
    func upsert(_ release: ReleaseRecord) throws {
        if release.source == .csv, try source(ofRelease: release.releaseID) == .discogs { return }
        var b = releaseBinder
        for column in ReleaseColumn.allCases {
            switch column {
            case .releaseID: b.bind(release.releaseID)
            case .title: b.bind(release.title)
            case .year: b.bind(release.year)
            case .country: b.bind(release.country)
            case .barcodes: b.bind(ListText.encode(release.barcodes))
            case .masterID: b.bind(release.masterID)
            case .masterURL: b.bind(release.masterURL)
            case .uri: b.bind(release.uri)
            case .resourceURL: b.bind(release.resourceURL)
            case .artists: b.bind(ListText.encode(release.artists))
            case .labels: b.bind(ListText.encode(release.labels))
            case .formats: b.bind(ListText.encode(release.formats))
            case .genres: b.bind(ListText.encode(release.genres))
            case .styles: b.bind(ListText.encode(release.styles))
            case .tracklist: b.bind(ListText.encode(release.tracklist))
            case .communityHave: b.bind(release.communityHave)
            case .communityWant: b.bind(release.communityWant)
            case .ratingAverage: b.bind(release.ratingAverage)
            case .ratingCount: b.bind(release.ratingCount)
            case .source: b.bind(release.source.rawValue)
            case .fetchedAt: b.bind(release.fetchedAt.map(Timestamp.string))
            case .rawJSON: b.bind(release.rawJSON)
            }
        }
        try b.run(db)
        if try source(ofRelease: release.releaseID) != .discogs { releaseSources[release.releaseID] = .some(release.source) }
        releaseLists[release.releaseID] = ReleaseLists(genres: release.genres, styles: release.styles, barcodes: release.barcodes)
        releaseColumnsByID[release.releaseID] = nil
        if listingsWereEmpty { return }
        let genres = ListText.join(release.genres)
        let styles = ListText.join(release.styles)
        try db.cachedStatement(sql: """
            UPDATE listings SET genres = ?, styles = ?, genre_fid = ?, style_fid = ?
            WHERE release_id = ? AND (genres IS NOT ? OR styles IS NOT ?)
            """).execute(arguments: [genres, styles, try facets.id(.genre, genres), try facets.id(.style, styles),
                                     release.releaseID, genres, styles])
        // The release's barcodes become scannable on each of its listings.
        guard !release.barcodes.isEmpty else { return }
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT listing_id, catalog_number, external_id FROM listings WHERE release_id = ?"),
                                    arguments: [release.releaseID])
        for row in rows {
            var record = ListingRecord(listingID: row[0])
            record.catalogNumber = row[1]
            record.externalID = row[2]
            try db.cachedStatement(sql: "UPDATE listings SET search_codes = ? WHERE listing_id = ? AND search_codes IS NOT ?")
                .execute(arguments: [SearchCodes.of(record, barcodes: release.barcodes), record.listingID, SearchCodes.of(record, barcodes: release.barcodes)])
        }
    }

    /// `derive(text)`, computed once per distinct text; `derive(nil)` for none.
    private func cached<T>(_ text: String?, in cache: inout [String: T], _ derive: (String?) throws -> T) rethrows -> T {
        guard let text else { return try derive(nil) }
        if let done = cache[text] { return done }
        let result = try derive(text)
        if cache.count < Self.cacheLimit { cache[text] = result }
        return result
    }

    /// `derive(text)`, computed once per distinct text.
    private func cached<T>(_ text: String, in cache: inout [String: T], _ derive: (String) throws -> T) rethrows -> T {
        if let done = cache[text] { return done }
        let result = try derive(text)
        if cache.count < Self.cacheLimit { cache[text] = result }
        return result
    }

    /// A release's columns for its listings (none without one in the mirror), computed for its
    /// first listing.
    private func releaseColumns(for releaseID: Int64?) throws -> ReleaseColumns {
        guard let releaseID else { return ReleaseColumns() }
        if let done = releaseColumnsByID[releaseID] { return done }
        let lists = try releaseLists(for: releaseID)
        let genres = ListText.join(lists.genres), styles = ListText.join(lists.styles)
        let columns = ReleaseColumns(genres: genres, styles: styles, genreID: try facets.id(.genre, genres),
                                     styleID: try facets.id(.style, styles), barcodes: lists.barcodes)
        releaseColumnsByID[releaseID] = columns
        return columns
    }

    private func releaseLists(for releaseID: Int64?) throws -> ReleaseLists {
        guard let releaseID, try source(ofRelease: releaseID) != nil else { return ReleaseLists() }
        if let cached = releaseLists[releaseID] { return cached }
        let row = try Row.fetchOne(db, sql: "SELECT genres, styles, barcodes FROM releases WHERE release_id = ?", arguments: [releaseID])
        let lists = ReleaseLists(genres: ListText.decode(row?["genres"]), styles: ListText.decode(row?["styles"]),
                                 barcodes: ListText.decode(row?["barcodes"]))
        releaseLists[releaseID] = lists
        return lists
    }
}
