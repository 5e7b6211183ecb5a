import Foundation
import GRDB

/// Reading the mirror's rows back into records, column by column (`ListingColumn`,
/// `ReleaseColumn`).
extension ListingRecord {
    init(row: Row) {
        typealias C = ListingColumn
        self.init(listingID: row[C.listingID], status: row[C.status] ?? "")
        condition = row[C.condition]
        sleeveCondition = row[C.sleeveCondition]
        posted = row[C.posted]
        priceValue = row[C.priceValue]
        priceCurrency = row[C.priceCurrency]
        originalPriceValue = row[C.originalPriceValue]
        originalPriceCurrency = row[C.originalPriceCurrency]
        shippingPrice = row[C.shippingPrice]
        shippingCurrency = row[C.shippingCurrency]
        allowOffers = row[C.allowOffers]
        shipsFrom = row[C.shipsFrom]
        comments = row[C.comments]
        uri = row[C.uri] ?? Self.canonicalURI(listingID)
        resourceURL = row[C.resourceURL] ?? Self.canonicalResourceURL(listingID)
        weight = row[C.weight]
        estimatedWeight = row[C.estimatedWeight]
        formatQuantity = row[C.formatQuantity]
        externalID = row[C.externalID]
        location = row[C.location]
        quantity = row[C.quantity]
        releaseID = row[C.releaseID]
        artist = row[C.artist]
        title = row[C.title]
        label = row[C.label]
        catalogNumber = row[C.catalogNumber]
        format = row[C.format]
        year = row[C.year]
        releaseDescription = row[C.releaseDescription]
        releaseResourceURL = row[C.releaseResourceURL] ?? releaseID.map(Self.canonicalReleaseURL)
        thumbnailURL = row[C.thumbnailURL]
        imageURI = row[C.imageURI]
        imageResourceURL = row[C.imageResourceURL] ?? imageURI
        communityHave = row[C.communityHave]
        communityWant = row[C.communityWant]
        sellerUsername = row[C.sellerUsername]
        rawJSON = row["raw_json"]
        let exported: String? = row[C.exportedAt], primaryLabel: String? = row[C.primaryLabel]
        if exported != nil || primaryLabel != nil {
            legacy = LegacyFields(exportTimestamp: exported, primaryLabel: primaryLabel)
        }
    }
}

extension ReleaseRecord {
    /// A release from a row whose release columns carry `prefix` (`r_` when joined to a listing).
    init?(row: Row, prefix: String = "") {
        typealias C = ReleaseColumn
        func column(_ c: C) -> String { prefix + c.name }
        guard let id: Int64 = row[column(.releaseID)], let sourceText: String = row[column(.source)],
              let source = Source(rawValue: sourceText) else { return nil }
        self.init(releaseID: id, source: source)
        title = row[column(.title)]
        year = row[column(.year)]
        country = row[column(.country)]
        barcodes = ListText.decode(row[column(.barcodes)])
        masterID = row[column(.masterID)]
        masterURL = row[column(.masterURL)]
        uri = row[column(.uri)]
        resourceURL = row[column(.resourceURL)]
        artists = ListText.decode(row[column(.artists)])
        labels = ListText.decode(row[column(.labels)])
        formats = ListText.decode(row[column(.formats)])
        genres = ListText.decode(row[column(.genres)])
        styles = ListText.decode(row[column(.styles)])
        tracklist = ListText.decode(row[column(.tracklist)])
        communityHave = row[column(.communityHave)]
        communityWant = row[column(.communityWant)]
        ratingAverage = row[column(.ratingAverage)]
        ratingCount = row[column(.ratingCount)]
        fetchedAt = Timestamp.parse(row[column(.fetchedAt)])
        rawJSON = row[column(.rawJSON)]
    }
}

extension Listing {
    /// Columns to select for a `Listing` (with `r_`-prefixed release columns when joined).
    static func selection(withRelease: Bool) -> String {
        // Counter state: who holds it, and whether an action on it is on its way to Discogs.
        var sql = """
            l.*, lr.json AS raw_json, (SELECT h.user FROM holds h WHERE h.listing_id = l.listing_id) AS held_by,
            (SELECT h.note FROM holds h WHERE h.listing_id = l.listing_id) AS hold_note,
            EXISTS (SELECT 1 FROM actions a WHERE a.listing_id = l.listing_id AND a.state IN ('queued', 'sending', 'sent')) AS pending_action
            """
        if withRelease {
            sql += ", " + ReleaseColumn.allCases.map { "r.\($0.name) AS r_\($0.name)" }.joined(separator: ", ")
        }
        return sql
    }

    static func from(withRelease: Bool) -> String {
        var sql = "listings l LEFT JOIN listing_raw lr ON lr.listing_id = l.listing_id"
        if withRelease { sql += " LEFT JOIN releases r ON r.release_id = l.release_id" }
        return sql
    }

    init(row: Row, withRelease: Bool) {
        typealias C = ListingColumn
        record = ListingRecord(row: row)
        release = withRelease ? ReleaseRecord(row: row, prefix: "r_") : nil
        genres = ListText.split(row[C.genres])
        styles = ListText.split(row[C.styles])
        firstSeenAt = Timestamp.parse(row[C.firstSeenAt])
        updatedAt = Timestamp.parse(row[C.updatedAt])
        removedAt = Timestamp.parse(row[C.removedAt])
        removedReason = (row[C.removedReason] as String?).map(RemovalReason.init(text:))
        heldBy = row["held_by"]
        holdNote = row["hold_note"]
        hasPendingAction = row["pending_action"] ?? false
    }
}
