import Foundation
import GRDB

/// One line of a listing's history, as a sync recorded it: what came in, what was repriced,
/// what sold.
public struct ListingChange: Sendable, Equatable, Identifiable {
    public enum Kind: String, Sendable, Codable { case added, updated, removed }

    public var id: Int64
    public var syncRunID: Int64?
    public var listingID: Int64
    public var kind: Kind
    /// For updates: the field (`price`, `location`…); for removals: the reason.
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    public var changedAt: Date?
    public var artist: String?
    public var title: String?
    /// The listing's shelf now (where to pull a sold record from).
    public var location: String?
    /// The staff member who did it at the counter (nil: a sync saw it on Discogs).
    public var user: String?
    /// The counter action it came from, if it did, and whether that action undid another.
    public var actionKind: ActionKind?
    public var isUndo = false

    public init(id: Int64, syncRunID: Int64?, listingID: Int64, kind: Kind, field: String?, oldValue: String?, newValue: String?,
                changedAt: Date?, artist: String?, title: String?, location: String? = nil, user: String? = nil,
                actionKind: ActionKind? = nil, isUndo: Bool = false) {
        self.id = id
        self.syncRunID = syncRunID
        self.listingID = listingID
        self.kind = kind
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.changedAt = changedAt
        self.artist = artist
        self.title = title
        self.location = location
        self.user = user
        self.actionKind = actionKind
        self.isUndo = isUndo
    }
}
