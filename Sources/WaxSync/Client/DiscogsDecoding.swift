import Foundation
import WaxJSON
import WaxStore

/// Discogs JSON → the mirror's records. Everything Discogs may omit is optional; the listing's
/// own JSON (minus the seller, kept once) is stored as sent.
enum DiscogsDecoding {
    struct Page {
        var page: Int
        var pages: Int
        var perPage: Int
        var items: Int
        var next: String?
        var listings: [ListingRecord]
        var seller: SellerRecord?
    }

    static func page(_ data: Data) throws -> Page {
        let root = try JSONReader.parse(data)
        guard let pagination = try root.object("pagination") else {
            throw JSONReader.Problem(description: "no pagination object")
        }
        let urls = try pagination.object("urls")
        var seller: SellerRecord?
        var listings: [ListingRecord] = []
        for listing in try root.objects("listings") {
            let (record, listingSeller) = try self.listing(listing)
            listings.append(record)
            if seller == nil { seller = listingSeller }
        }
        return Page(page: try pagination.int("page") ?? 1, pages: try pagination.int("pages") ?? 1,
                    perPage: try pagination.int("per_page") ?? listings.count, items: try pagination.int("items") ?? listings.count,
                    next: try urls?.string("next"), listings: listings, seller: seller)
    }

    static func listing(_ data: Data) throws -> ListingRecord {
        try listing(try JSONReader.parse(data)).record
    }

    static func listing(_ json: JSONReader) throws -> (record: ListingRecord, seller: SellerRecord?) {
        guard let id = try json.int64("id") else { throw JSONReader.Problem(description: "\(json.path): a listing without an id") }
        var r = ListingRecord(listingID: id, status: try json.string("status").map(ListingStatus.init(rawValue:)) ?? .forSale)
        r.condition = try json.string("condition")
        r.sleeveCondition = try json.string("sleeve_condition")
        r.posted = try json.string("posted")
        if let price = try json.object("price") {
            r.priceValue = try price.double("value")
            r.priceCurrency = try price.string("currency")
        }
        if let original = try json.object("original_price") {
            r.originalPriceValue = try original.double("value")
            r.originalPriceCurrency = try original.string("curr_abbr")
        }
        if let shipping = try json.object("shipping_price") {   // {} when unset
            r.shippingPrice = try shipping.double("value")
            r.shippingCurrency = try shipping.string("currency")
        }
        r.allowOffers = try json.bool("allow_offers")
        r.shipsFrom = try json.string("ships_from")
        r.comments = try json.string("comments")
        r.uri = try json.string("uri")
        r.resourceURL = try json.string("resource_url")
        r.weight = try json.double("weight")
        r.estimatedWeight = try json.int("estimated_weight")
        r.formatQuantity = try json.int("format_quantity")
        r.externalID = try json.string("external_id")
        r.location = try json.string("location")
        r.quantity = try json.int("quantity")
        if let release = try json.object("release") {
            r.releaseID = try release.int64("id")
            r.title = try release.string("title")
            r.artist = try release.string("artist")
            r.label = try release.string("label")
            r.catalogNumber = try release.string("catalog_number")
            r.format = try release.string("format")
            r.year = try release.int("year").flatMap { $0 == 0 ? nil : $0 }
            r.releaseDescription = try release.string("description")
            r.releaseResourceURL = try release.string("resource_url")
            r.thumbnailURL = try release.string("thumbnail")
            if let image = try release.objects("images").first {
                r.imageURI = try image.string("uri")
                r.imageResourceURL = try image.string("resource_url")
            }
            if let community = try release.object("stats")?.object("community") {
                r.communityHave = try community.int("in_collection")
                r.communityWant = try community.int("in_wantlist")
            }
            // 2014 shapes carry only a description: "Artist - Title (Format)".
            if r.artist == nil || r.title == nil, let description = r.releaseDescription {
                let split = splitDescription(description)
                r.artist = r.artist ?? split.artist
                r.title = r.title ?? split.title
                r.format = r.format ?? split.format
            }
        }
        var seller: SellerRecord?
        var raw = json.object
        if let sellerObject = raw.removeValue(forKey: "seller") as? [String: Any] {
            let reader = JSONReader(sellerObject, path: json.path + ".seller")
            r.sellerUsername = try reader.string("username")
            if let sellerID = try reader.int64("id"), let username = r.sellerUsername {
                seller = SellerRecord(id: sellerID, username: username, json: text(sellerObject))
            }
        }
        r.rawJSON = text(raw)
        return (r, seller)
    }

    /// "Artist - Title (LP, Album)" → its parts (the old, smaller `release` shape).
    static func splitDescription(_ description: String) -> (artist: String?, title: String?, format: String?) {
        var rest = Substring(description)
        var format: String?
        if rest.hasSuffix(")"), let open = rest.lastIndex(of: "(") {
            format = String(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)])
            rest = rest[..<open].dropLast(rest[..<open].hasSuffix(" ") ? 1 : 0)
        }
        guard let dash = rest.range(of: " - ") else { return (nil, rest.isEmpty ? nil : String(rest), format) }
        return (String(rest[..<dash.lowerBound]), String(rest[dash.upperBound...]), format)
    }

    /// Compact JSON with sorted keys (JSONSerialization's writer was most of a sync's CPU time).
    static func text(_ object: [String: Any]) -> String {
        JSONValue(any: object).text
    }

    static func release(_ data: Data, fetchedAt: Date) throws -> ReleaseRecord {
        let json = try JSONReader.parse(data)
        guard let id = try json.int64("id") else { throw JSONReader.Problem(description: "a release without an id") }
        var release = ReleaseRecord(releaseID: id, source: .discogs)
        release.title = try json.string("title")
        release.year = try json.int("year").flatMap { $0 == 0 ? nil : $0 }
        release.country = try json.string("country")
        release.barcodes = try json.objects("identifiers").compactMap { identifier in
            try identifier.string("type") == "Barcode" ? try identifier.string("value") : nil
        }
        release.masterID = try json.int64("master_id").flatMap { $0 == 0 ? nil : $0 }
        release.masterURL = try json.string("master_url")
        release.uri = try json.string("uri")
        release.resourceURL = try json.string("resource_url")
        release.artists = try json.objects("artists").compactMap { try $0.string("name") }
        release.labels = try json.objects("labels").compactMap { label in
            try label.string("name").map { ReleaseRecord.Label(name: $0, catalogNumber: try label.string("catno")) }
        }
        release.formats = try json.objects("formats").compactMap { format in
            try format.string("name").map { ReleaseRecord.Format(name: $0, quantity: try format.string("qty"), descriptions: try format.strings("descriptions")) }
        }
        release.genres = try json.strings("genres")
        release.styles = try json.strings("styles")
        release.tracklist = try json.objects("tracklist").compactMap { track in
            try track.string("title").map { ReleaseRecord.Track(position: try track.string("position") ?? "", title: $0, duration: try track.string("duration")) }
        }
        if let community = try json.object("community") {
            release.communityHave = try community.int("have")
            release.communityWant = try community.int("want")
            if let rating = try community.object("rating") {
                release.ratingAverage = try rating.double("average")
                release.ratingCount = try rating.int("count")
            }
        }
        release.fetchedAt = fetchedAt
        release.rawJSON = text(json.object)
        return release
    }
}

public struct DiscogsIdentity: Sendable, Equatable {
    public var id: Int64
    public var username: String
}
