import WaxJSON
import Foundation
import GRDB
import WaxConfig

/// A listing as the mirror holds it: the Discogs record, its release details when known, and
/// wax's own bookkeeping (first seen, last changed, removed and why).
public struct Listing: Sendable, Equatable, Identifiable {
    public var record: ListingRecord
    /// The release as `GET /releases/{id}` (or the old CSV) described it; nil until enriched.
    public var release: ReleaseRecord?
    public var genres: [String]
    public var styles: [String]
    public var firstSeenAt: Date?
    public var updatedAt: Date?
    public var removedAt: Date?
    public var removedReason: String?

    public init(record: ListingRecord, release: ReleaseRecord? = nil, genres: [String] = [], styles: [String] = [],
                firstSeenAt: Date? = nil, updatedAt: Date? = nil, removedAt: Date? = nil, removedReason: String? = nil) {
        self.record = record
        self.release = release
        self.genres = genres
        self.styles = styles
        self.firstSeenAt = firstSeenAt
        self.updatedAt = updatedAt
        self.removedAt = removedAt
        self.removedReason = removedReason
    }

    public var id: Int64 { record.listingID }
    public var isRemoved: Bool { removedAt != nil }
    public var conditionGrade: ConditionGrade? { ConditionGrade(discogs: record.condition) }
    public var sleeveGrade: ConditionGrade? { ConditionGrade(discogs: record.sleeveCondition) }

    /// The listing's page on discogs.com, the link staff share.
    public var discogsURL: String {
        if let uri = record.uri, uri.hasPrefix("http") { return uri }
        return "https://www.discogs.com/sell/item/\(record.listingID)"
    }
}

/// Text columns hold lists as `; `-joined strings (genres) or JSON arrays (release details).
enum ListText {
    static let separator = "; "

    static func join(_ values: [String]) -> String? {
        let cleaned = values.map(\.trimmed).filter { !$0.isEmpty }
        return cleaned.isEmpty ? nil : cleaned.joined(separator: separator)
    }

    /// Splits at "; " (byte-wise: Foundation's `components(separatedBy:)` was a tenth of a
    /// large shop's start, splitting every genre and style list).
    static func split(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        var parts: [String] = []
        let utf8 = text.utf8
        var start = utf8.startIndex, index = start
        while index != utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == UInt8(ascii: ";"), next != utf8.endIndex, utf8[next] == UInt8(ascii: " ") {
                parts.append(Substring(text[start..<index]).trimmed)
                index = utf8.index(after: next)
                start = index
            } else {
                index = next
            }
        }
        parts.append(Substring(text[start..<utf8.endIndex]).trimmed)
        return parts.filter { !$0.isEmpty }
    }

    /// A JSON array (written directly: JSONEncoder was a third of a bulk release import).
    static func encode(_ values: [String]) -> String? {
        values.isEmpty ? nil : JSONValue.array(values.map(JSONValue.string)).text
    }

    static func encode(_ values: [ReleaseRecord.Label]) -> String? {
        values.isEmpty ? nil : JSONValue.array(values.map { .object(["name": .string($0.name), "catalogNumber": JSONValue($0.catalogNumber)]) }).text
    }

    static func encode(_ values: [ReleaseRecord.Format]) -> String? {
        values.isEmpty ? nil : JSONValue.array(values.map {
            .object(["name": .string($0.name), "quantity": JSONValue($0.quantity), "descriptions": .array($0.descriptions.map(JSONValue.string))])
        }).text
    }

    static func encode(_ values: [ReleaseRecord.Track]) -> String? {
        values.isEmpty ? nil : JSONValue.array(values.map {
            .object(["position": .string($0.position), "title": .string($0.title), "duration": JSONValue($0.duration)])
        }).text
    }

    static func decode<T: Decodable>(_ text: String?, as type: [T].Type = [T].self) -> [T] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([T].self, from: data)) ?? []
    }
}

/// UTC timestamps as ISO-8601 text (`2026-11-25T19:52:17Z`): sortable and readable in sqlite3.
public enum Timestamp {
    public static func string(_ date: Date) -> String { UTCTimestamp.string(date) }

    public static func parse(_ text: String?) -> Date? {
        guard let text else { return nil }
        return PostedDate.parse(text.hasSuffix("Z") || text.contains("+") ? text : text + "Z")
    }
}

extension ListingRecord {
    init(row: Row) {
        self.init(listingID: row["listing_id"], status: row["status"] ?? "")
        condition = row["condition"]
        sleeveCondition = row["sleeve_condition"]
        posted = row["posted"]
        priceValue = row["price_value"]
        priceCurrency = row["price_currency"]
        originalPriceValue = row["original_price_value"]
        originalPriceCurrency = row["original_price_currency"]
        shippingPrice = row["shipping_price"]
        shippingCurrency = row["shipping_currency"]
        allowOffers = row["allow_offers"]
        shipsFrom = row["ships_from"]
        comments = row["comments"]
        uri = row["uri"] ?? Self.canonicalURI(listingID)
        resourceURL = row["resource_url"] ?? Self.canonicalResourceURL(listingID)
        weight = row["weight"]
        estimatedWeight = row["estimated_weight"]
        formatQuantity = row["format_quantity"]
        externalID = row["external_id"]
        location = row["location"]
        quantity = row["quantity"]
        releaseID = row["release_id"]
        artist = row["artist"]
        title = row["title"]
        label = row["label"]
        catalogNumber = row["catalog_number"]
        format = row["format"]
        year = row["year"]
        releaseDescription = row["release_description"]
        releaseResourceURL = row["release_resource_url"] ?? releaseID.map(Self.canonicalReleaseURL)
        thumbnailURL = row["thumbnail_url"]
        imageURI = row["image_uri"]
        imageResourceURL = row["image_resource_url"] ?? imageURI
        communityHave = row["community_have"]
        communityWant = row["community_want"]
        sellerUsername = row["seller_username"]
        rawJSON = row["raw_json"]
    }
}

extension ReleaseRecord {
    init?(row: Row, prefix: String = "") {
        guard let id: Int64 = row[prefix + "release_id"], let sourceText: String = row[prefix + "source"],
              let source = Source(rawValue: sourceText) else { return nil }
        self.init(releaseID: id, source: source)
        title = row[prefix + "title"]
        year = row[prefix + "year"]
        country = row[prefix + "country"]
        barcodes = ListText.decode(row[prefix + "barcodes"])
        masterID = row[prefix + "master_id"]
        masterURL = row[prefix + "master_url"]
        uri = row[prefix + "uri"]
        resourceURL = row[prefix + "resource_url"]
        artists = ListText.decode(row[prefix + "artists"])
        labels = ListText.decode(row[prefix + "labels"])
        formats = ListText.decode(row[prefix + "formats"])
        genres = ListText.decode(row[prefix + "genres"])
        styles = ListText.decode(row[prefix + "styles"])
        tracklist = ListText.decode(row[prefix + "tracklist"])
        communityHave = row[prefix + "community_have"]
        communityWant = row[prefix + "community_want"]
        ratingAverage = row[prefix + "rating_average"]
        ratingCount = row[prefix + "rating_count"]
        fetchedAt = Timestamp.parse(row[prefix + "fetched_at"])
        rawJSON = row[prefix + "raw_json"]
    }
}

extension Listing {
    /// Columns to select for a `Listing` (with `r_`-prefixed release columns when joined).
    static func selection(withRelease: Bool) -> String {
        var sql = "l.*, lr.json AS raw_json"
        if withRelease {
            sql += ", " + ReleaseColumns.all.map { "r.\($0) AS r_\($0)" }.joined(separator: ", ")
        }
        return sql
    }

    static func from(withRelease: Bool) -> String {
        var sql = "listings l LEFT JOIN listing_raw lr ON lr.listing_id = l.listing_id"
        if withRelease { sql += " LEFT JOIN releases r ON r.release_id = l.release_id" }
        return sql
    }

    init(row: Row, withRelease: Bool) {
        record = ListingRecord(row: row)
        release = withRelease ? ReleaseRecord(row: row, prefix: "r_") : nil
        genres = ListText.split(row["genres"])
        styles = ListText.split(row["styles"])
        firstSeenAt = Timestamp.parse(row["first_seen_at"])
        updatedAt = Timestamp.parse(row["updated_at"])
        removedAt = Timestamp.parse(row["removed_at"])
        removedReason = row["removed_reason"]
    }
}

enum ReleaseColumns {
    static let all = ["release_id", "title", "year", "country", "barcodes", "master_id", "master_url", "uri",
                      "resource_url", "artists", "labels", "formats", "genres", "styles", "tracklist",
                      "community_have", "community_want", "rating_average", "rating_count", "source",
                      "fetched_at", "raw_json"]
}
