import Foundation

/// Listings, releases and pages in the shapes Discogs really sends, quirks included: `{}` for
/// an unset shipping price, `""` thumbnails and `[]` images when there is no image, year 0 for
/// unknown, ids above 2^32, the seller's rating as a string, owner-only fields for the owner.
enum Render {
    static func money(_ value: Double, _ currency: String) -> [String: Any] {
        ["value": value, "currency": currency]
    }

    static func formatted(_ value: Double, _ currency: String) -> String {
        let symbol = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"][currency] ?? currency + " "
        return symbol + String(format: "%.2f", value)
    }

    static func seller(_ configuration: FakeConfiguration, base: String) -> [String: Any] {
        [
            "id": configuration.sellerID, "username": configuration.seller, "uid": configuration.sellerID,
            "avatar_url": "https://i.discogs.com/avatar.jpeg",
            "stats": ["rating": "99.8", "stars": 5.0, "total": 1_204],
            "min_order_total": 0.0, "html_url": "https://www.discogs.com/user/\(configuration.seller)",
            "url": "\(base)/users/\(configuration.seller)", "payment": "PayPal Commerce",
            "shipping": "Ships within 2 days.\r\nCombined shipping available.",
            "resource_url": "\(base)/users/\(configuration.seller)",
        ]
    }

    static func listing(_ listing: FakeListing, release: FakeRelease, owner: Bool, seller: [String: Any]) -> [String: Any] {
        var object: [String: Any] = [
            "id": listing.id,
            "resource_url": "https://api.discogs.com/marketplace/listings/\(listing.id)",
            "uri": "https://www.discogs.com/sell/item/\(listing.id)",
            "status": listing.status, "condition": listing.condition, "sleeve_condition": listing.sleeveCondition,
            "comments": listing.comments, "ships_from": listing.shipsFrom, "posted": listing.posted,
            "allow_offers": listing.allowOffers, "offer_submitted": false, "audio": false,
            "price": money(listing.price, listing.currency),
            "original_price": ["curr_abbr": listing.currency, "curr_id": 1, "formatted": formatted(listing.price, listing.currency), "value": listing.price],
            "shipping_price": listing.shippingPrice.map { money($0, listing.currency) } ?? [String: Any](),
            "original_shipping_price": listing.shippingPrice.map {
                ["curr_abbr": listing.currency, "curr_id": 1, "formatted": formatted($0, listing.currency), "value": $0] as [String: Any]
            } ?? [String: Any](),
            "seller": seller,
            "release": releaseSummary(release),
            "in_cart": false,
        ]
        if owner {
            object["weight"] = listing.weight
            object["estimated_weight"] = Int(listing.weight)
            object["format_quantity"] = listing.formatQuantity
            object["external_id"] = listing.externalID
            object["location"] = listing.location
            object["quantity"] = listing.quantity
        }
        return object
    }

    static func releaseSummary(_ release: FakeRelease) -> [String: Any] {
        let images: [[String: Any]] = release.imageURL.isEmpty ? [] : [[
            "type": "primary", "uri": release.imageURL, "resource_url": release.imageURL, "uri150": release.thumbnailURL,
            "width": 600, "height": 600,
        ]]
        return [
            "thumbnail": release.thumbnailURL,
            "description": "\(release.artistDisplay) - \(release.title) (\(release.formatDisplay))",
            "images": images, "artist": release.artistDisplay, "format": release.formatDisplay,
            "resource_url": "https://api.discogs.com/releases/\(release.id)", "title": release.title,
            "year": release.year, "id": release.id, "label": release.labelDisplay, "catalog_number": release.catalogDisplay,
            "stats": ["community": ["in_wantlist": release.want, "in_collection": release.have]],
        ]
    }

    static func release(_ release: FakeRelease) -> [String: Any] {
        var object: [String: Any] = [
            "id": release.id, "status": "Accepted", "year": release.year,
            "resource_url": "https://api.discogs.com/releases/\(release.id)",
            "uri": "https://www.discogs.com/release/\(release.id)",
            "artists": release.artists.enumerated().map { index, name in
                ["name": name, "anv": "", "join": index + 1 < release.artists.count ? "&" : "", "role": "", "tracks": "",
                 "id": 100_000 + index, "resource_url": "https://api.discogs.com/artists/\(100_000 + index)"] as [String: Any]
            },
            "artists_sort": release.artistDisplay,
            "labels": release.labels.map { ["name": $0.name, "catno": $0.catalogNumber, "entity_type": "1", "entity_type_name": "Label", "id": 1, "resource_url": "https://api.discogs.com/labels/1"] as [String: Any] },
            "series": [Any](), "companies": [Any](),
            "formats": release.formats.map { ["name": $0.name, "qty": String($0.quantity), "descriptions": $0.descriptions] as [String: Any] },
            "data_quality": "Needs Vote",
            "community": [
                "have": release.have, "want": release.want,
                "rating": ["count": release.ratingCount, "average": release.ratingAverage],
                "submitter": ["username": "someone", "resource_url": "https://api.discogs.com/users/someone"],
                "contributors": [Any](), "data_quality": "Needs Vote", "status": "Accepted",
            ] as [String: Any],
            "format_quantity": release.formats.first?.quantity ?? 1,
            "date_added": "2012-03-04T05:06:07-08:00", "date_changed": "2020-01-02T03:04:05-08:00",
            "num_for_sale": 3, "lowest_price": 4.5, "title": release.title, "country": release.country,
            "released": release.year == 0 ? "" : String(release.year), "notes": "",
            "released_formatted": release.year == 0 ? "" : String(release.year),
            "identifiers": release.barcode.map { [["type": "Barcode", "value": $0]] } ?? [],
            "videos": [Any](), "genres": release.genres, "styles": release.styles,
            "tracklist": release.tracklist.map { ["position": $0.position, "type_": "track", "title": $0.title, "duration": $0.duration] },
            "extraartists": [Any](), "thumb": release.thumbnailURL, "estimated_weight": 230, "blocked_from_sale": false,
        ]
        if let master = release.masterID {
            object["master_id"] = master
            object["master_url"] = "https://api.discogs.com/masters/\(master)"
        }
        return object
    }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func message(_ text: String) -> Data { json(["message": text]) }

    static let cloudflarePage = Data("""
    <!DOCTYPE html>
    <html><head><title>Attention Required! | Cloudflare</title></head>
    <body><h1>Sorry, you have been blocked</h1><p>You are unable to access api.discogs.com</p></body></html>
    """.utf8)

    static let maintenancePage = Data("""
    <html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>
    """.utf8)
}
