import Foundation

/// A release as the fake Discogs knows it: what `GET /releases/{id}` returns and what the
/// inventory's `release` summary is cut from.
public struct FakeRelease: Sendable, Equatable {
    public struct Label: Sendable, Equatable { public var name: String; public var catalogNumber: String }
    public struct Format: Sendable, Equatable { public var name: String; public var quantity: Int; public var descriptions: [String] }
    public struct Track: Sendable, Equatable { public var position: String; public var title: String; public var duration: String }

    public var id: Int64
    public var title: String
    public var artists: [String]
    public var labels: [Label]
    public var formats: [Format]
    /// 0 when unknown, as Discogs sends it.
    public var year: Int
    public var country: String
    public var genres: [String]
    public var styles: [String]
    public var barcode: String?
    public var masterID: Int64?
    public var tracklist: [Track]
    public var have: Int
    public var want: Int
    public var ratingAverage: Double
    public var ratingCount: Int
    /// "" when the release has no image (the inventory then sends `"thumbnail": ""`, `"images": []`).
    public var imageURL: String
    public var thumbnailURL: String

    /// "Artist - Title (LP, Album)" as the inventory's `description`.
    public var artistDisplay: String { artists.joined(separator: " & ") }
    public var labelDisplay: String { labels.map(\.name).joined(separator: ", ") }
    public var catalogDisplay: String { labels.map(\.catalogNumber).joined(separator: ", ") }
    /// As the inventory's `release.format` reads: `LP, Album, RE`, `2xLP, Album`, `7", Single`,
    /// `CD, Album` (vinyl is named by its size or LP, other media by name).
    public var formatDisplay: String {
        formats.map { format in
            var parts = format.name == "Vinyl" && !format.descriptions.isEmpty ? format.descriptions : [format.name] + format.descriptions
            if format.quantity > 1 { parts[0] = "\(format.quantity)x" + parts[0] }
            return parts.joined(separator: ", ")
        }.joined(separator: " + ")
    }
}

/// One marketplace listing in the fake shop.
public struct FakeListing: Sendable, Equatable {
    public var id: Int64
    public var releaseID: Int64
    public var status: String
    public var condition: String
    public var sleeveCondition: String
    /// ISO-8601 with a US-Pacific offset, as Discogs sends it.
    public var posted: String
    public var price: Double
    public var currency: String
    public var shippingPrice: Double?
    public var comments: String
    public var location: String
    public var externalID: String
    public var weight: Double
    public var formatQuantity: Int
    public var allowOffers: Bool
    public var quantity: Int
    public var shipsFrom: String
}
