import Foundation

/// What `GET /releases/{id}` tells about a release (and what the old CSV carried of it):
/// the data the inventory endpoint lacks, genres and styles first.
public struct ReleaseRecord: Sendable, Equatable, Hashable {
    public struct Label: Sendable, Equatable, Hashable, Codable {
        public var name: String
        public var catalogNumber: String?
        public init(name: String, catalogNumber: String? = nil) {
            self.name = name
            self.catalogNumber = catalogNumber
        }
    }

    public struct Format: Sendable, Equatable, Hashable, Codable {
        public var name: String
        public var quantity: String?
        public var descriptions: [String]
        public init(name: String, quantity: String? = nil, descriptions: [String] = []) {
            self.name = name
            self.quantity = quantity
            self.descriptions = descriptions
        }
    }

    public struct Track: Sendable, Equatable, Hashable, Codable {
        public var position: String
        public var title: String
        public var duration: String?
        public init(position: String, title: String, duration: String? = nil) {
            self.position = position
            self.title = title
            self.duration = duration
        }
    }

    public enum Source: String, Sendable { case discogs, csv }

    public var releaseID: Int64
    public var title: String?
    public var year: Int?
    public var country: String?
    public var barcodes: [String] = []
    public var masterID: Int64?
    public var masterURL: String?
    public var uri: String?
    public var resourceURL: String?
    public var artists: [String] = []
    public var labels: [Label] = []
    public var formats: [Format] = []
    public var genres: [String] = []
    public var styles: [String] = []
    public var tracklist: [Track] = []
    public var communityHave: Int?
    public var communityWant: Int?
    public var ratingAverage: Double?
    public var ratingCount: Int?
    public var source: Source
    /// When Discogs answered for this release; `nil` when it only came from a CSV file,
    /// which leaves it for the sync's enrichment to fetch.
    public var fetchedAt: Date?
    public var rawJSON: String?

    public init(releaseID: Int64, source: Source) {
        self.releaseID = releaseID
        self.source = source
    }
}
