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
    private var folded: [String: String] = [:]
    let now: String

    init(_ db: Database, now: Date = Date()) throws {
        self.db = db
        self.facets = try FacetIDAllocator(db)
        self.knownReleaseIDs = Set(try Int64.fetchAll(db, sql: "SELECT release_id FROM releases"))
        self.discogsReleaseIDs = Set(try Int64.fetchAll(db, sql: "SELECT release_id FROM releases WHERE source = 'discogs'"))
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
        "sleeve_fid", "status_fid", "updated_at", "removed_at", "removed_reason",
    ]

    private static let upsertSQL: String = {
        let columns = recordColumns + derivedColumns + ["first_seen_at"]
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let updates = (recordColumns.dropFirst() + derivedColumns).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return "INSERT INTO listings(\(columns.joined(separator: ", "))) VALUES (\(placeholders)) " +
            "ON CONFLICT(listing_id) DO UPDATE SET \(updates)"
    }()

    /// Inserts or replaces a listing. `first_seen_at` is kept for existing rows.
    func upsert(_ record: ListingRecord, removedAt: String? = nil, removedReason: String? = nil) throws {
        let lists = try releaseLists(for: record.releaseID)
        let genres = ListText.join(lists.genres)
        let styles = ListText.join(lists.styles)
        let values: [(any DatabaseValueConvertible)?] = [
            record.listingID, record.status, record.condition, record.sleeveCondition, record.posted,
            record.priceValue, record.priceCurrency, record.originalPriceValue, record.originalPriceCurrency,
            record.shippingPrice, record.shippingCurrency, record.allowOffers, record.shipsFrom, record.comments,
            record.uri, record.resourceURL, record.weight, record.estimatedWeight, record.formatQuantity,
            record.externalID, record.location, record.quantity, record.releaseID, record.artist, record.title,
            record.label, record.catalogNumber, record.format, record.year, record.releaseDescription,
            record.releaseResourceURL, record.thumbnailURL, record.imageURI, record.imageResourceURL,
            record.communityHave, record.communityWant, record.sellerUsername,
            // derived
            ConditionGrade(discogs: record.condition)?.rawValue,
            record.postedAt.map { Int64($0.timeIntervalSince1970) },
            genres, styles,
            fold(record.artist), fold(record.title), fold(record.location),
            try facets.id(.artist, record.artist), try facets.id(.label, record.label),
            try facets.id(.format, record.format), try facets.id(.genre, genres), try facets.id(.style, styles),
            try facets.id(.location, record.location), try facets.id(.condition, record.condition),
            try facets.id(.sleeveCondition, record.sleeveCondition), try facets.id(.status, record.status),
            now, removedAt, removedReason,
            now,
        ]
        let statement = try db.cachedStatement(sql: Self.upsertSQL)
        try statement.execute(arguments: StatementArguments(values))
        if let raw = record.rawJSON {
            try db.cachedStatement(sql: """
                INSERT INTO listing_raw(listing_id, json) VALUES (?, ?)
                ON CONFLICT(listing_id) DO UPDATE SET json = excluded.json
                """).execute(arguments: [record.listingID, raw])
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
        let values: [(any DatabaseValueConvertible)?] = [
            release.releaseID, release.title, release.year, release.country, ListText.encode(release.barcodes),
            release.masterID, release.masterURL, release.uri, release.resourceURL, ListText.encode(release.artists),
            ListText.encode(release.labels), ListText.encode(release.formats), ListText.encode(release.genres),
            ListText.encode(release.styles), ListText.encode(release.tracklist), release.communityHave,
            release.communityWant, release.ratingAverage, release.ratingCount, release.source.rawValue,
            release.fetchedAt.map(Timestamp.string), release.rawJSON,
        ]
        let columns = ReleaseColumns.all
        let updates = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.cachedStatement(sql: """
            INSERT INTO releases(\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            ON CONFLICT(release_id) DO UPDATE SET \(updates)
            """).execute(arguments: StatementArguments(values))
        knownReleaseIDs.insert(release.releaseID)
        if release.source == .discogs { discogsReleaseIDs.insert(release.releaseID) }
        releaseLists[release.releaseID] = (release.genres, release.styles)
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
