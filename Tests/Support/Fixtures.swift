import Foundation
import WaxStore

/// Small, readable listings for tests.
public enum Fixture {
    public static func listing(
        _ id: Int64, artist: String? = nil, title: String? = nil, label: String? = nil, format: String? = "LP, Album",
        condition: String? = "Very Good Plus (VG+)", sleeve: String? = "Very Good (VG)", price: Double? = 10,
        currency: String? = "USD", posted: String? = "2025-06-27T15:36:31-07:00", location: String? = nil,
        year: Int? = nil, releaseID: Int64? = nil, comments: String? = nil, status: ListingStatus = .forSale
    ) -> ListingRecord {
        var record = ListingRecord(listingID: id, status: status)
        record.artist = artist
        record.title = title
        record.label = label
        record.format = format
        record.condition = condition
        record.sleeveCondition = sleeve
        record.priceValue = price
        record.priceCurrency = currency
        record.posted = posted
        record.location = location
        record.year = year
        record.releaseID = releaseID ?? id + 1_000_000
        record.comments = comments
        record.uri = "https://www.discogs.com/sell/item/\(id)"
        return record
    }

    public static func release(_ id: Int64, genres: [String], styles: [String] = [], source: ReleaseRecord.Source = .discogs) -> ReleaseRecord {
        var release = ReleaseRecord(releaseID: id, source: source)
        release.genres = genres
        release.styles = styles
        release.fetchedAt = source == .discogs ? Date() : nil
        return release
    }
}

extension TemporaryDirectory {
    /// A new, migrated mirror in this folder.
    public func inventory(_ name: String = "wax.db") throws -> InventoryService {
        try InventoryService.open(at: file(name))
    }
}
