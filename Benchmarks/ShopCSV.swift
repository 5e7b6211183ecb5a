import FakeDiscogs
import Foundation
import WaxStore

/// The generated shop written as the old app's 39-column CSV, as a shop migrating to wax would
/// have it (with the genres and styles the old app kept once it had fetched release details),
/// its rows in no order of listing id, as a real export's are (the real shop's file is): an
/// import that is fast only for a file sorted by id would be measured fast and be slow.
enum ShopCSV {
    static func make(_ shop: ShopGenerator) -> Data {
        var out = CSVReader.line(CSVImport.waxColumns)
        out.reserveCapacity(shop.listingCount * 900)
        // Every row once, scattered: a prime step that does not divide the count.
        let step = [7_919, 7_927, 7_933].first { shop.listingCount % $0 != 0 } ?? 1
        for row in 0..<shop.listingCount {
            let index = row * step % shop.listingCount
            let listing = shop.listing(at: index)
            let release = shop.release(id: listing.releaseID)
            let values: [String: String] = [
                "artist_names": release.artistDisplay, "catalog_number": release.catalogDisplay,
                "comments": listing.comments, "condition": listing.condition, "country": release.country,
                "export_timestamp": "2025-10-10T14:06:48.088079", "external_id": listing.externalID,
                "format_names": release.formatDisplay, "format_quantity": String(listing.formatQuantity),
                "genres": release.genres.joined(separator: "; "), "image_resource_url": release.imageURL,
                "image_uri": release.imageURL, "label_names": release.labelDisplay, "listing_id": String(listing.id),
                "location": listing.location, "posted": listing.posted, "price_currency": listing.currency,
                "price_value": String(listing.price), "primary_artist": release.artists[0],
                "primary_label": release.labels[0].name, "release_id": String(release.id),
                "release_resource_url": "https://api.discogs.com/releases/\(release.id)",
                "release_title": release.title, "release_year": String(release.year),
                "resource_url": "https://api.discogs.com/marketplace/listings/\(listing.id)",
                "sleeve_condition": listing.sleeveCondition, "status": listing.status,
                "styles": release.styles.joined(separator: "; "), "uri": "https://www.discogs.com/sell/item/\(listing.id)",
                "weight": String(listing.weight),
            ]
            out += CSVReader.line(CSVImport.waxColumns.map { values[$0] ?? "" })
        }
        return Data(out.utf8)
    }
}
