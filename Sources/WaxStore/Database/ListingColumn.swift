import GRDB

/// Every column of `listings`, named once. The writer's column lists, the sort keys, the facet
/// id columns and the full-text columns come from here; the writer's `bind` switches over it,
/// so a new column is a case here, its migration, and the value the compiler then asks the
/// writer for. A value can't be bound to the wrong column; a test checks these are exactly the
/// table's columns.
enum ListingColumn: String, CaseIterable, ColumnExpression, Sendable {
    // What Discogs (or a CSV file) says: one column per `ListingRecord` field.
    case listingID = "listing_id", status, condition, sleeveCondition = "sleeve_condition", posted
    case priceValue = "price_value", priceCurrency = "price_currency"
    case originalPriceValue = "original_price_value", originalPriceCurrency = "original_price_currency"
    case shippingPrice = "shipping_price", shippingCurrency = "shipping_currency"
    case allowOffers = "allow_offers", shipsFrom = "ships_from", comments
    /// NULL when it is the canonical URL for the id (a third of a row was URLs that follow
    /// from the ids).
    case uri, resourceURL = "resource_url"
    case weight, estimatedWeight = "estimated_weight", formatQuantity = "format_quantity"
    case externalID = "external_id", location, quantity
    case releaseID = "release_id", artist, title, label, catalogNumber = "catalog_number", format, year
    case releaseDescription = "release_description", releaseResourceURL = "release_resource_url"
    case thumbnailURL = "thumbnail_url", imageURI = "image_uri", imageResourceURL = "image_resource_url"
    case communityHave = "community_have", communityWant = "community_want", sellerUsername = "seller_username"
    // Derived by `ListingWriter` from the record and its release.
    case genres, styles
    case conditionRank = "condition_rank", postedAt = "posted_at"
    case artistKey = "artist_key", titleKey = "title_key", locationKey = "location_key"
    case artistFID = "artist_fid", labelFID = "label_fid", formatFID = "format_fid", genreFID = "genre_fid"
    case styleFID = "style_fid", locationFID = "location_fid", conditionFID = "condition_fid"
    case sleeveFID = "sleeve_fid", statusFID = "status_fid"
    case contentHash = "content_hash"
    /// The id, catalog number, external id and barcodes as a scanner types them (v2).
    case searchCodes = "search_codes"
    // wax's own bookkeeping.
    case firstSeenAt = "first_seen_at", updatedAt = "updated_at", removedAt = "removed_at", removedReason = "removed_reason"
    /// The order rows were first stored in (a CSV's row order, a snapshot's): ties of the
    /// default order come back in it, as the old app returned them (v2).
    case seq
    // What the old app's CSV carried that Discogs does not (v2): kept as imported.
    /// `export_timestamp`: the CSV's, or the time of the snapshot that last changed the row.
    case exportedAt = "exported_at"
    /// The CSV's own `primary_label` (NULL after a sync: then it follows from the labels).
    case primaryLabel = "primary_label"

    var name: String { rawValue }

    /// Kept when a row is written again (an upsert never changes when it was first seen).
    var keptOnUpdate: Bool { self == .listingID || self == .firstSeenAt || self == .seq }

    /// The columns the full-text indexes cover, in their order.
    static let searchable: [ListingColumn] = [.artist, .title, .label, .catalogNumber, .genres, .styles, .location, .comments, .searchCodes]

    /// `l.name, l.name, …` for a SELECT over `listings l`.
    static func qualified(_ columns: [ListingColumn], table: String = "l") -> String {
        columns.map { "\(table).\($0.name)" }.joined(separator: ", ")
    }
}

/// Every column of `releases`, named once (the writer and the reader both list them from here).
enum ReleaseColumn: String, CaseIterable, ColumnExpression, Sendable {
    case releaseID = "release_id", title, year, country, barcodes, masterID = "master_id", masterURL = "master_url", uri
    case resourceURL = "resource_url", artists, labels, formats, genres, styles, tracklist
    case communityHave = "community_have", communityWant = "community_want", ratingAverage = "rating_average"
    case ratingCount = "rating_count", source, fetchedAt = "fetched_at", rawJSON = "raw_json"

    var name: String { rawValue }
}

extension SortField {
    /// The column a sort reads (its folded text key for text fields).
    var column: ListingColumn {
        switch self {
        case .posted: .postedAt
        case .price: .priceValue
        case .artist: .artistKey
        case .title: .titleKey
        case .year: .year
        case .condition: .conditionRank
        case .location: .locationKey
        }
    }
}
