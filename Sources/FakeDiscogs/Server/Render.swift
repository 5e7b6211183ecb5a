import Foundation
import WaxJSON

/// Listings, releases and pages in the shapes Discogs really sends, quirks included: `{}` for
/// an unset shipping price, `""` thumbnails and `[]` images when there is no image, year 0 for
/// unknown, ids above 2^32, the seller's rating as a string, owner-only fields for the owner.
enum Render {
    static func money(_ value: Double, _ currency: String) -> JSONValue {
        .object(["value": .double(value), "currency": .string(currency)])
    }

    static func original(_ value: Double, _ currency: String) -> JSONValue {
        .object(["curr_abbr": .string(currency), "curr_id": .int(1), "formatted": .string(formatted(value, currency)), "value": .double(value)])
    }

    static func formatted(_ value: Double, _ currency: String) -> String {
        let symbol = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"][currency] ?? currency + " "
        return symbol + String(format: "%.2f", value)
    }

    static func seller(_ configuration: FakeConfiguration, base: String) -> JSONValue {
        .object([
            "id": .int(configuration.sellerID), "username": .string(configuration.seller), "uid": .int(configuration.sellerID),
            "avatar_url": .string("https://i.discogs.com/avatar.jpeg"),
            "stats": .object(["rating": .string("99.8"), "stars": .double(5), "total": .int(1_204)]),
            "min_order_total": .double(0), "html_url": .string("https://www.discogs.com/user/\(configuration.seller)"),
            "url": .string("\(base)/users/\(configuration.seller)"), "payment": .string("PayPal Commerce"),
            "shipping": .string("Ships within 2 days.\r\nCombined shipping available."),
            "resource_url": .string("\(base)/users/\(configuration.seller)"),
        ])
    }

    static func listing(_ listing: FakeListing, release: FakeRelease, owner: Bool, seller: JSONValue) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .int(listing.id),
            "resource_url": .string("https://api.discogs.com/marketplace/listings/\(listing.id)"),
            "uri": .string("https://www.discogs.com/sell/item/\(listing.id)"),
            "status": .string(listing.status), "condition": .string(listing.condition),
            "sleeve_condition": .string(listing.sleeveCondition), "comments": .string(listing.comments),
            "ships_from": .string(listing.shipsFrom), "posted": .string(listing.posted),
            "allow_offers": .bool(listing.allowOffers), "offer_submitted": .bool(false), "audio": .bool(false),
            "price": money(listing.price, listing.currency),
            "original_price": original(listing.price, listing.currency),
            "shipping_price": listing.shippingPrice.map { money($0, listing.currency) } ?? .object([:]),
            "original_shipping_price": listing.shippingPrice.map { original($0, listing.currency) } ?? .object([:]),
            "seller": seller,
            "release": releaseSummary(release),
            "in_cart": .bool(false),
        ]
        if owner {
            object["weight"] = .double(listing.weight)
            object["estimated_weight"] = .int(Int64(listing.weight))
            object["format_quantity"] = .int(Int64(listing.formatQuantity))
            object["external_id"] = .string(listing.externalID)
            object["location"] = .string(listing.location)
            object["quantity"] = .int(Int64(listing.quantity))
        }
        return .object(object)
    }

    static func releaseSummary(_ release: FakeRelease) -> JSONValue {
        let images: [JSONValue] = release.imageURL.isEmpty ? [] : [.object([
            "type": .string("primary"), "uri": .string(release.imageURL), "resource_url": .string(release.imageURL),
            "uri150": .string(release.thumbnailURL), "width": .int(600), "height": .int(600),
        ])]
        return .object([
            "thumbnail": .string(release.thumbnailURL),
            "description": .string("\(release.artistDisplay) - \(release.title) (\(release.formatDisplay))"),
            "images": .array(images), "artist": .string(release.artistDisplay), "format": .string(release.formatDisplay),
            "resource_url": .string("https://api.discogs.com/releases/\(release.id)"), "title": .string(release.title),
            "year": .int(Int64(release.year)), "id": .int(release.id), "label": .string(release.labelDisplay),
            "catalog_number": .string(release.catalogDisplay),
            "stats": .object(["community": .object(["in_wantlist": .int(Int64(release.want)), "in_collection": .int(Int64(release.have))])]),
        ])
    }

    static func release(_ release: FakeRelease) -> JSONValue {
        func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        var object: [String: JSONValue] = [
            "id": .int(release.id), "status": .string("Accepted"), "year": .int(Int64(release.year)),
            "resource_url": .string("https://api.discogs.com/releases/\(release.id)"),
            "uri": .string("https://www.discogs.com/release/\(release.id)"),
            "artists": .array(release.artists.enumerated().map { index, name in
                .object(["name": .string(name), "anv": .string(""), "join": .string(index + 1 < release.artists.count ? "&" : ""),
                         "role": .string(""), "tracks": .string(""), "id": .int(Int64(100_000 + index)),
                         "resource_url": .string("https://api.discogs.com/artists/\(100_000 + index)")])
            }),
            "artists_sort": .string(release.artistDisplay),
            "labels": .array(release.labels.map {
                .object(["name": .string($0.name), "catno": .string($0.catalogNumber), "entity_type": .string("1"),
                         "entity_type_name": .string("Label"), "id": .int(1), "resource_url": .string("https://api.discogs.com/labels/1")])
            }),
            "series": .array([]), "companies": .array([]),
            "formats": .array(release.formats.map { .object(["name": .string($0.name), "qty": .string(String($0.quantity)), "descriptions": strings($0.descriptions)]) }),
            "data_quality": .string("Needs Vote"),
            "community": .object([
                "have": .int(Int64(release.have)), "want": .int(Int64(release.want)),
                "rating": .object(["count": .int(Int64(release.ratingCount)), "average": .double(release.ratingAverage)]),
                "submitter": .object(["username": .string("someone"), "resource_url": .string("https://api.discogs.com/users/someone")]),
                "contributors": .array([]), "data_quality": .string("Needs Vote"), "status": .string("Accepted"),
            ]),
            "format_quantity": .int(Int64(release.formats.first?.quantity ?? 1)),
            "date_added": .string("2012-03-04T05:06:07-08:00"), "date_changed": .string("2020-01-02T03:04:05-08:00"),
            "num_for_sale": .int(3), "lowest_price": .double(4.5), "title": .string(release.title), "country": .string(release.country),
            "released": .string(release.year == 0 ? "" : String(release.year)), "notes": .string(""),
            "released_formatted": .string(release.year == 0 ? "" : String(release.year)),
            "identifiers": .array(release.barcode.map { [.object(["type": .string("Barcode"), "value": .string($0)])] } ?? []),
            "videos": .array([]), "genres": strings(release.genres), "styles": strings(release.styles),
            "tracklist": .array(release.tracklist.map {
                .object(["position": .string($0.position), "type_": .string("track"), "title": .string($0.title), "duration": .string($0.duration)])
            }),
            "extraartists": .array([]), "thumb": .string(release.thumbnailURL), "estimated_weight": .int(230), "blocked_from_sale": .bool(false),
        ]
        if let master = release.masterID {
            object["master_id"] = .int(master)
            object["master_url"] = .string("https://api.discogs.com/masters/\(master)")
        }
        return .object(object)
    }

    /// One result of `GET /database/search`: Discogs' fields, the year as text, and the barcode
    /// list as Discogs keeps it (real barcodes mixed with matrix strings).
    static func searchResult(_ release: FakeRelease) -> JSONValue {
        func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        var barcodes: [String] = []
        if let barcode = release.barcode {
            barcodes = [barcode, "\(barcode.prefix(6))-A CB \(release.id % 9)", "\(barcode.prefix(6))-B CB \(release.id % 9)"]
        }
        let format = release.formats.flatMap { [$0.name] + $0.descriptions }
        return .object([
            "id": .int(release.id), "type": .string("release"), "title": .string("\(release.artistDisplay) - \(release.title)"),
            "year": .string(release.year == 0 ? "" : String(release.year)), "country": .string(release.country),
            "format": strings(format), "format_quantity": .int(Int64(release.formats.first?.quantity ?? 1)),
            "label": strings(release.labels.map(\.name)), "catno": .string(release.catalogDisplay),
            "genre": strings(release.genres), "style": strings(release.styles), "barcode": strings(barcodes),
            "community": .object(["want": .int(Int64(release.want)), "have": .int(Int64(release.have))]),
            "thumb": .string(release.thumbnailURL), "cover_image": .string(release.imageURL),
            "master_id": release.masterID.map { .int($0) } ?? .int(0),
            "uri": .string("/release/\(release.id)"), "resource_url": .string("https://api.discogs.com/releases/\(release.id)"),
        ])
    }

    static func json(_ value: JSONValue) -> Data { Data(value.text.utf8) }

    static func message(_ text: String) -> Data { json(.object(["message": .string(text)])) }

    static let cloudflarePage = Data("""
    <!DOCTYPE html>
    <html><head><title>Attention Required! | Cloudflare</title></head>
    <body><h1>Sorry, you have been blocked</h1><p>You are unable to access api.discogs.com</p></body></html>
    """.utf8)

    static let maintenancePage = Data("""
    <html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>
    """.utf8)
}
