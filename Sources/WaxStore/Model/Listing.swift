import Foundation

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
    public var removedReason: RemovalReason?
    /// Who keeps it aside for a customer (a hold), and their note.
    public var heldBy: String?
    public var holdNote: String?
    /// A staff action on it is on its way to Discogs.
    public var hasPendingAction = false

    public init(record: ListingRecord, release: ReleaseRecord? = nil, genres: [String] = [], styles: [String] = [],
                firstSeenAt: Date? = nil, updatedAt: Date? = nil, removedAt: Date? = nil, removedReason: RemovalReason? = nil) {
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
