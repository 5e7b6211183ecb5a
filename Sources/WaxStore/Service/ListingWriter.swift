import Foundation
import GRDB
import WaxConfig

/// Writes listing rows with everything derived from them (sort keys, facet ids, genres from the
/// release) so that no other code has to know those columns exist. Lives for one transaction.
final class ListingWriter {
    private let db: Database
    private let facets: FacetIDAllocator
    private var releaseLists: [Int64: (genres: [String], styles: [String])] = [:]
    private var knownReleaseIDs: Set<Int64>
    private var discogsReleaseIDs: Set<Int64>
    /// No listing existed when the transaction began: storing a release has no listings to refresh
    /// until this writer adds them (and those read the release's genres as they are written).
    private var listingsWereEmpty: Bool
    private var folded: [String: String] = [:]
    let now: String

    private let listingBinder: SQLiteBinder
    private let rawBinder: SQLiteBinder
    private let releaseBinder: SQLiteBinder

    init(_ db: Database, now: Date = Date()) throws {
        self.db = db
        self.listingBinder = SQLiteBinder(try db.makeStatement(sql: Self.upsertSQL))
        self.rawBinder = SQLiteBinder(try db.makeStatement(sql: """
            INSERT INTO listing_raw(listing_id, json) VALUES (?, ?) ON CONFLICT(listing_id) DO UPDATE SET json = excluded.json
            """))
        let columns = ReleaseColumns.all
        self.releaseBinder = SQLiteBinder(try db.makeStatement(sql: """
            INSERT INTO releases(\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            ON CONFLICT(release_id) DO UPDATE SET \(columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """))
        self.facets = try FacetIDAllocator(db)
        self.knownReleaseIDs = Set(try Int64.fetchAll(db, sql: "SELECT release_id FROM releases"))
        self.discogsReleaseIDs = Set(try Int64.fetchAll(db, sql: "SELECT release_id FROM releases WHERE source = 'discogs'"))
        self.listingsWereEmpty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM listings)") ?? false
        self.now = Timestamp.string(now)
    }

    static let recordColumns = [
        "listing_id", "status", "condition", "sleeve_condition", "posted", "price_value", "price_currency",
        "original_price_value", "original_price_currency", "shipping_price", "shipping_currency", "allow_offers",
        "ships_from", "comments", "uri", "resource_url", "weight", "estimated_weight", "format_quantity",
        "external_id", "location", "quantity", "release_id", "artist", "title", "label", "catalog_number",
        "format", "year", "release_description", "release_resource_url", "thumbnail_url", "image_uri",
        "image_resource_url", "community_have", "community_want", "seller_username",
    ]
    static let derivedColumns = [
        "condition_rank", "posted_at", "genres", "styles", "artist_key", "title_key", "location_key",
        "artist_fid", "label_fid", "format_fid", "genre_fid", "style_fid", "location_fid", "condition_fid",
        "sleeve_fid", "status_fid", "content_hash", "updated_at", "removed_at", "removed_reason",
    ]

    private static let upsertSQL: String = {
        let columns = recordColumns + derivedColumns + ["first_seen_at"]
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let updates = (recordColumns.dropFirst() + derivedColumns).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return "INSERT INTO listings(\(columns.joined(separator: ", "))) VALUES (\(placeholders)) " +
            "ON CONFLICT(listing_id) DO UPDATE SET \(updates)"
    }()

    /// Inserts or replaces a listing. `first_seen_at` is kept for existing rows.
    func upsert(_ r: ListingRecord, removedAt: String? = nil, removedReason: String? = nil) throws {
        listingsWereEmpty = false
        let lists = try releaseLists(for: r.releaseID)
        let genres = ListText.join(lists.genres)
        let styles = ListText.join(lists.styles)
        var b = listingBinder
        // Record columns, in `recordColumns` order.
        b.bind(r.listingID); b.bind(r.status); b.bind(r.condition); b.bind(r.sleeveCondition); b.bind(r.posted)
        b.bind(r.priceValue); b.bind(r.priceCurrency); b.bind(r.originalPriceValue); b.bind(r.originalPriceCurrency)
        b.bind(r.shippingPrice); b.bind(r.shippingCurrency); b.bind(r.allowOffers); b.bind(r.shipsFrom); b.bind(r.comments)
        b.bind(r.uri == ListingRecord.canonicalURI(r.listingID) ? nil : r.uri)
        b.bind(r.resourceURL == ListingRecord.canonicalResourceURL(r.listingID) ? nil : r.resourceURL)
        b.bind(r.weight); b.bind(r.estimatedWeight); b.bind(r.formatQuantity); b.bind(r.externalID); b.bind(r.location)
        b.bind(r.quantity); b.bind(r.releaseID); b.bind(r.artist); b.bind(r.title); b.bind(r.label); b.bind(r.catalogNumber)
        b.bind(r.format); b.bind(r.year); b.bind(r.releaseDescription)
        b.bind(r.releaseID.map(ListingRecord.canonicalReleaseURL) == r.releaseResourceURL ? nil : r.releaseResourceURL)
        b.bind(r.thumbnailURL); b.bind(r.imageURI); b.bind(r.imageResourceURL == r.imageURI ? nil : r.imageResourceURL)
        b.bind(r.communityHave); b.bind(r.communityWant); b.bind(r.sellerUsername)
        // Derived columns, in `derivedColumns` order.
        b.bind(ConditionGrade(discogs: r.condition)?.rawValue)
        b.bind(r.postedAt.map { Int64($0.timeIntervalSince1970) })
        b.bind(genres); b.bind(styles)
        b.bind(fold(r.artist)); b.bind(fold(r.title)); b.bind(fold(r.location))
        b.bind(try facets.id(.artist, r.artist)); b.bind(try facets.id(.label, r.label)); b.bind(try facets.id(.format, r.format))
        b.bind(try facets.id(.genre, genres)); b.bind(try facets.id(.style, styles)); b.bind(try facets.id(.location, r.location))
        b.bind(try facets.id(.condition, r.condition)); b.bind(try facets.id(.sleeveCondition, r.sleeveCondition))
        b.bind(try facets.id(.status, r.status))
        b.bind(ContentHash.of(r))
        b.bind(now); b.bind(removedAt); b.bind(removedReason)
        b.bind(now)   // first_seen_at, for new rows only
        try b.run(db)
        if let raw = r.rawJSON {
            var raws = rawBinder
            raws.bind(r.listingID)
            raws.bind(raw)
            try raws.run(db)
        }
    }

    /// Marks a listing removed (sold, deleted, no longer for sale): the row stays.
    func markRemoved(_ listingID: Int64, reason: String) throws {
        try db.cachedStatement(sql: "UPDATE listings SET removed_at = ?, removed_reason = ?, updated_at = ? WHERE listing_id = ? AND removed_at IS NULL")
            .execute(arguments: [now, reason, now, listingID])
    }

    // MARK: Releases

    /// Stores a release and refreshes the genres and styles of every listing of it.
    /// A release fetched from Discogs is never overwritten by one from a CSV file.
    func upsert(_ release: ReleaseRecord) throws {
        if release.source == .csv, discogsReleaseIDs.contains(release.releaseID) { return }
        var b = releaseBinder   // in `ReleaseColumns.all` order
        b.bind(release.releaseID); b.bind(release.title); b.bind(release.year); b.bind(release.country)
        b.bind(ListText.encode(release.barcodes)); b.bind(release.masterID); b.bind(release.masterURL); b.bind(release.uri)
        b.bind(release.resourceURL); b.bind(ListText.encode(release.artists)); b.bind(ListText.encode(release.labels))
        b.bind(ListText.encode(release.formats)); b.bind(ListText.encode(release.genres)); b.bind(ListText.encode(release.styles))
        b.bind(ListText.encode(release.tracklist)); b.bind(release.communityHave); b.bind(release.communityWant)
        b.bind(release.ratingAverage); b.bind(release.ratingCount); b.bind(release.source.rawValue)
        b.bind(release.fetchedAt.map(Timestamp.string)); b.bind(release.rawJSON)
        try b.run(db)
        knownReleaseIDs.insert(release.releaseID)
        if release.source == .discogs { discogsReleaseIDs.insert(release.releaseID) }
        releaseLists[release.releaseID] = (release.genres, release.styles)
        if listingsWereEmpty { return }
        let genres = ListText.join(release.genres)
        let styles = ListText.join(release.styles)
        try db.cachedStatement(sql: """
            UPDATE listings SET genres = ?, styles = ?, genre_fid = ?, style_fid = ?
            WHERE release_id = ? AND (genres IS NOT ? OR styles IS NOT ?)
            """).execute(arguments: [genres, styles, try facets.id(.genre, genres), try facets.id(.style, styles),
                                     release.releaseID, genres, styles])
    }

    private func fold(_ text: String?) -> String? {
        guard let text else { return nil }
        if let done = folded[text] { return done }
        let result = TextFold.fold(text)
        if folded.count < 200_000 { folded[text] = result }
        return result
    }

    private func releaseLists(for releaseID: Int64?) throws -> (genres: [String], styles: [String]) {
        guard let releaseID, knownReleaseIDs.contains(releaseID) else { return ([], []) }
        if let cached = releaseLists[releaseID] { return cached }
        let row = try Row.fetchOne(db, sql: "SELECT genres, styles FROM releases WHERE release_id = ?", arguments: [releaseID])
        let lists: (genres: [String], styles: [String]) = (ListText.decode(row?["genres"]), ListText.decode(row?["styles"]))
        releaseLists[releaseID] = lists
        return lists
    }
}
