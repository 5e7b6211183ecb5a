import Foundation

/// One marketplace listing as Discogs describes it: what the sync engine and the CSV importer
/// hand to the store. Every field Discogs may leave out is optional.
public struct ListingRecord: Sendable, Equatable, Hashable {
    public var listingID: Int64
    public var status: ListingStatus
    public var condition: String?
    public var sleeveCondition: String?
    /// `posted` exactly as Discogs sent it (US-Pacific offset, or none in old data).
    public var posted: String?
    public var priceValue: Double?
    public var priceCurrency: String?
    public var originalPriceValue: Double?
    public var originalPriceCurrency: String?
    /// `nil` when Discogs sent `{}` (no shipping price set).
    public var shippingPrice: Double?
    public var shippingCurrency: String?
    public var allowOffers: Bool?
    public var shipsFrom: String?
    public var comments: String?
    public var uri: String?
    public var resourceURL: String?
    // Owner-only fields: Discogs sends them only to the inventory's owner.
    public var weight: Double?
    public var estimatedWeight: Int?
    public var formatQuantity: Int?
    public var externalID: String?
    public var location: String?
    public var quantity: Int?
    // The release as the inventory endpoint summarises it.
    public var releaseID: Int64?
    public var artist: String?
    public var title: String?
    public var label: String?
    public var catalogNumber: String?
    public var format: String?
    /// `nil` when unknown (Discogs sends 0).
    public var year: Int?
    public var releaseDescription: String?
    public var releaseResourceURL: String?
    public var thumbnailURL: String?
    public var imageURI: String?
    public var imageResourceURL: String?
    public var communityHave: Int?
    public var communityWant: Int?
    public var sellerUsername: String?
    /// The listing's JSON as Discogs sent it (without the `seller` object, kept once per seller),
    /// so that nothing is lost. `nil` for rows that came from a CSV file.
    public var rawJSON: String?
    /// What the old app's CSV said that Discogs does not (its `export_timestamp`, its own
    /// `primary_label`): shown in the old keys as imported. Bookkeeping, not the listing: no
    /// part of `ContentHash`, so a new export of the same stock changes nothing.
    public var legacy: LegacyFields?

    public struct LegacyFields: Sendable, Equatable, Hashable {
        public var exportTimestamp: String?
        public var primaryLabel: String?
        public init(exportTimestamp: String? = nil, primaryLabel: String? = nil) {
            self.exportTimestamp = exportTimestamp
            self.primaryLabel = primaryLabel
        }
    }

    public init(listingID: Int64, status: ListingStatus = .forSale) {
        self.listingID = listingID
        self.status = status
    }

    /// The record less what no list, filter, sort or search reads (Discogs' JSON, the original
    /// price, shipping, images, community counts): two records alike here put the same rows in
    /// the same order for every query, so a change past these needs no index rebuilt, only the
    /// rows on screen read again. A field left out of this list only costs a rebuild.
    var listedPart: ListingRecord {
        var part = self
        part.rawJSON = nil
        part.originalPriceValue = nil
        part.originalPriceCurrency = nil
        part.shippingPrice = nil
        part.shippingCurrency = nil
        part.allowOffers = nil
        part.shipsFrom = nil
        part.uri = nil
        part.resourceURL = nil
        part.weight = nil
        part.estimatedWeight = nil
        part.releaseResourceURL = nil
        part.thumbnailURL = nil
        part.imageURI = nil
        part.imageResourceURL = nil
        part.communityHave = nil
        part.communityWant = nil
        part.sellerUsername = nil
        part.legacy = nil
        return part
    }

    /// The UTC instant of `posted`, for sorting.
    public var postedAt: Date? { PostedDate.parse(posted) }

    public static func canonicalURI(_ id: Int64) -> String { "https://www.discogs.com/sell/item/\(id)" }
    public static func canonicalResourceURL(_ id: Int64) -> String { "https://api.discogs.com/marketplace/listings/\(id)" }
    public static func canonicalReleaseURL(_ id: Int64) -> String { "https://api.discogs.com/releases/\(id)" }

    /// The record as the mirror holds it: URLs that follow from the ids filled in, the image's
    /// resource URL the same as its URI when not given. Records are compared in this form.
    public var canonicalized: ListingRecord {
        var copy = self
        copy.canonicalize()
        return copy
    }

    public mutating func canonicalize() {
        if uri == nil { uri = Self.canonicalURI(listingID) }
        if resourceURL == nil { resourceURL = Self.canonicalResourceURL(listingID) }
        if releaseResourceURL == nil, let releaseID { releaseResourceURL = Self.canonicalReleaseURL(releaseID) }
        if imageResourceURL == nil { imageResourceURL = imageURI }
    }
}

/// Fields whose changes are worth telling staff about ("repriced", "moved to another shelf").
/// Everything else (community counts, image URLs, the raw JSON) is refreshed silently.
public enum TrackedField: String, CaseIterable, Sendable {
    case status, condition, sleeveCondition = "sleeve_condition", price = "price", comments, location
    case externalID = "external_id", allowOffers = "allow_offers", shippingPrice = "shipping_price"
    case quantity, weight, formatQuantity = "format_quantity", artist, title, label
    case catalogNumber = "catalog_number", format, year, releaseID = "release_id"

    public func value(in record: ListingRecord) -> String? {
        switch self {
        case .status: record.status.rawValue
        case .condition: record.condition
        case .sleeveCondition: record.sleeveCondition
        case .price: record.priceValue.map { Money.format($0, currency: record.priceCurrency) }
        case .comments: record.comments
        case .location: record.location
        case .externalID: record.externalID
        case .allowOffers: record.allowOffers.map { $0 ? "yes" : "no" }
        case .shippingPrice: record.shippingPrice.map { Money.format($0, currency: record.shippingCurrency) }
        case .quantity: record.quantity.map(String.init)
        case .weight: record.weight.map { String($0) }
        case .formatQuantity: record.formatQuantity.map(String.init)
        case .artist: record.artist
        case .title: record.title
        case .label: record.label
        case .catalogNumber: record.catalogNumber
        case .format: record.format
        case .year: record.year.map(String.init)
        case .releaseID: record.releaseID.map(String.init)
        }
    }

    /// The tracked fields that differ between two versions of a listing, with old and new values.
    public static func differences(from old: ListingRecord, to new: ListingRecord) -> [(field: TrackedField, old: String?, new: String?)] {
        allCases.compactMap { field in
            let a = field.value(in: old), b = field.value(in: new)
            return a == b ? nil : (field, a, b)
        }
    }
}

/// An amount in a currency (a price suggestion, the market's lowest).
public struct Money: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var value: Double
    public var currency: String?
    public init(value: Double, currency: String?) {
        self.value = value
        self.currency = currency
    }

    public var description: String { Money.format(value, currency: currency) }

    /// `12.50 USD`; two decimals, currency after, no locale surprises.
    public static func format(_ value: Double, currency: String?) -> String {
        let text = String(format: "%.2f", value)
        guard let currency, !currency.isEmpty else { return text }
        return "\(text) \(currency)"
    }
}

/// Discogs `posted` times: ISO-8601 with an offset, or (old data, exports) without one, in which
/// case they are US-Pacific local time.
public enum PostedDate {
    static let pacific = TimeZone(identifier: "America/Los_Angeles")!

    public static func parse(_ text: String?) -> Date? {
        guard let text = text?.trimmed, text.utf8.count >= 19 else { return nil }
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
        }
        var offset: Int?
        if index < bytes.count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") {
                offset = 0
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                      let oh = number(index + 1, 2) {
                let omIndex = index + 3 < bytes.count && bytes[index + 3] == UInt8(ascii: ":") ? index + 4 : index + 3
                let om = number(omIndex, 2) ?? 0
                offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        // Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm):
        // Foundation's Calendar costs ~10 µs a call on Linux, too slow for 100,000 rows.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let local = Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
        if let offset { return Date(timeIntervalSince1970: local - Double(offset)) }
        // No offset: US-Pacific wall time. Guess with the standard offset, then correct for DST.
        let guess = Date(timeIntervalSince1970: local + 8 * 3_600)
        return Date(timeIntervalSince1970: local - Double(pacific.secondsFromGMT(for: guess)))
    }
}
