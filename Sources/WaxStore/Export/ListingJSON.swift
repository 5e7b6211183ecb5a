import WaxJSON
import Foundation
import WaxConfig

/// A listing as the old Flask app's JSON API and CSV export spelled it: every one of its keys,
/// ids as strings, numbers as numbers, missing values as null, genres and styles `; `-joined,
/// plus a few keys the old app did not have (removal, offers, quantity).
public enum ListingJSON {
    /// The old app's keys, all present in every object.
    public static let legacyKeys = [
        "listing_id", "status", "condition", "sleeve_condition", "posted", "uri", "resource_url", "price_value",
        "price_currency", "shipping_price", "shipping_currency", "weight", "format_quantity", "external_id",
        "location", "comments", "release_id", "release_title", "release_year", "release_resource_url",
        "release_uri", "artist_names", "primary_artist", "label_names", "primary_label", "format_names",
        "primary_format", "genres", "styles", "country", "catalog_number", "barcode", "master_id", "master_url",
        "image_uri", "image_resource_url", "release_community_have", "release_community_want", "created_at",
        "updated_at", "export_timestamp",
    ]

    public static func object(_ listing: Listing) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: pairs(listing)))
    }

    /// A JSON array of listing objects, as bytes: what `wax serve` sends. The same text as
    /// `.array(listings.map(object)).utf8`, without a dictionary per listing (hashing 55 keys
    /// per listing was most of the time a page of results took to write).
    public static func arrayUTF8(_ listings: [Listing]) -> [UInt8] {
        JSONValue.utf8(orderedObjects: listings.map(orderedPairs))
    }

    /// Listing objects as array elements (see `JSONValue.appendElements`): a streamed array's
    /// pieces, byte for byte what `arrayUTF8` writes between its brackets.
    public static func appendElements(_ listings: [Listing], to out: inout [UInt8], first: Bool) {
        JSONValue.appendElements(orderedObjects: listings.map(orderedPairs), to: &out, first: first)
    }

    private static func orderedPairs(_ listing: Listing) -> [(String, JSONValue)] {
        let unordered = pairs(listing)
        return sortedOrder.map { unordered[$0] }
    }

    /// The positions of `pairs`' keys in sorted order (every listing has the same keys).
    private static let sortedOrder: [Int] = {
        let keys = pairs(Listing(record: ListingRecord(listingID: 0))).map(\.0)
        return keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
    }()

    private static func pairs(_ listing: Listing) -> [(String, JSONValue)] {
        let r = listing.record
        let release = listing.release
        func firstPart(_ text: String?) -> String? {
            text?.split(separator: ",").first.map(\.trimmed)
        }
        let formatNames = release.flatMap { $0.formats.isEmpty ? nil : $0.formats.map(\.name).joined(separator: ", ") } ?? r.format
        let genres = release.map(\.genres).flatMap { $0.isEmpty ? nil : $0 } ?? listing.genres
        let styles = release.map(\.styles).flatMap { $0.isEmpty ? nil : $0 } ?? listing.styles
        return [
            ("listing_id", .string(String(r.listingID))),
            ("status", .string(r.status.rawValue)),
            ("condition", JSONValue(r.condition)),
            ("sleeve_condition", JSONValue(r.sleeveCondition)),
            ("posted", JSONValue(r.posted)),
            ("uri", JSONValue(r.uri)),
            ("resource_url", JSONValue(r.resourceURL)),
            ("price_value", JSONValue(r.priceValue)),
            ("price_currency", JSONValue(r.priceCurrency)),
            ("shipping_price", JSONValue(r.shippingPrice)),
            ("shipping_currency", JSONValue(r.shippingCurrency)),
            ("weight", JSONValue(r.weight)),
            ("format_quantity", JSONValue(r.formatQuantity)),
            ("external_id", JSONValue(r.externalID)),
            ("location", JSONValue(r.location)),
            ("comments", JSONValue(r.comments)),
            ("release_id", JSONValue(r.releaseID.map(String.init))),
            ("release_title", JSONValue(r.title ?? release?.title)),
            // The old app's year was text, "0" when Discogs has none; `year` is the number.
            ("release_year", .string(String(r.year ?? release?.year ?? 0))),
            ("release_resource_url", JSONValue(r.releaseResourceURL ?? release?.resourceURL)),
            ("release_uri", JSONValue(release?.uri)),
            ("artist_names", JSONValue(r.artist ?? release.flatMap { $0.artists.isEmpty ? nil : $0.artists.joined(separator: ", ") })),
            ("primary_artist", JSONValue(release?.artists.first ?? r.artist)),
            ("label_names", JSONValue(r.label ?? release.flatMap { $0.labels.isEmpty ? nil : $0.labels.map(\.name).joined(separator: ", ") })),
            ("primary_label", JSONValue(r.legacy?.primaryLabel ?? release?.labels.first?.name ?? firstPart(r.label))),
            ("format_names", JSONValue(formatNames)),
            ("primary_format", JSONValue(release?.formats.first?.name ?? firstPart(r.format))),
            ("genres", JSONValue(ListText.join(genres))),
            ("styles", JSONValue(ListText.join(styles))),
            ("country", JSONValue(release?.country)),
            ("catalog_number", JSONValue(r.catalogNumber ?? release?.labels.first?.catalogNumber)),
            ("barcode", JSONValue(release.flatMap { ListText.join($0.barcodes) })),
            ("master_id", JSONValue(release?.masterID.map(String.init))),
            ("master_url", JSONValue(release?.masterURL)),
            ("image_uri", JSONValue(r.imageURI)),
            ("image_resource_url", JSONValue(r.imageResourceURL)),
            ("release_community_have", JSONValue(release?.communityHave ?? r.communityHave)),
            ("release_community_want", JSONValue(release?.communityWant ?? r.communityWant)),
            // Naive UTC with microseconds, as the old app wrote them (scripts strptime them).
            ("created_at", JSONValue(listing.firstSeenAt.map(LegacyTimestamp.string))),
            ("updated_at", JSONValue(listing.updatedAt.map(LegacyTimestamp.string))),
            ("export_timestamp", JSONValue(r.legacy?.exportTimestamp)),
            // Not in the old app:
            ("allow_offers", JSONValue(r.allowOffers)),
            ("ships_from", JSONValue(r.shipsFrom)),
            ("quantity", JSONValue(r.quantity)),
            ("thumbnail_url", JSONValue(r.thumbnailURL)),
            ("removed_at", JSONValue(listing.removedAt.map(Timestamp.string))),
            ("removed_reason", JSONValue(listing.removedReason?.text)),
            ("year", JSONValue(r.year ?? release?.year)),
        ]
    }
}

/// `wax export`: every current listing as the old app's CSV (which `wax import` reads back) or
/// as a JSON array of the API's objects.
public enum ListingExport {
    public static func csv(_ listings: [Listing], exportedAt: Date = Date()) -> String {
        var out = CSVReader.line(CSVImport.waxColumns)
        let stamp = LegacyTimestamp.string(exportedAt)
        for listing in listings {
            guard case .object(let object) = ListingJSON.object(listing) else { continue }
            out += CSVReader.line(CSVImport.waxColumns.map { column in
                column == "export_timestamp" ? stamp : (object[column] ?? .null).csvText
            })
        }
        return out
    }

    public static func json(_ listings: [Listing]) -> String {
        JSONValue.array(listings.map(ListingJSON.object)).prettyText + "\n"
    }
}
