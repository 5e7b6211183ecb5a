import Foundation

/// What a staff member asks for, before it is checked against the mirror and queued.
public struct ActionRequest: Sendable, Equatable {
    public var kind: ActionKind
    public var listingID: Int64
    public var price: Double?
    /// The currency the price is in, when the staff member named one (it must be the listing's).
    public var currency: String?
    public var location: String?
    public var comments: String?
    /// A hold's note ("for Anna, Saturday").
    public var note: String?
    public var soldInShop: SoldInShopMode
    /// The values the staff member was shown (the browser's row). When the mirror holds other
    /// values now, the request is refused: they acted on something that has changed.
    public var seen: ListingFields?

    public init(_ kind: ActionKind, listingID: Int64, price: Double? = nil, currency: String? = nil, location: String? = nil,
                comments: String? = nil, note: String? = nil, soldInShop: SoldInShopMode = .draft, seen: ListingFields? = nil) {
        self.kind = kind
        self.listingID = listingID
        self.price = price
        self.currency = currency
        self.location = location
        self.comments = comments
        self.note = note
        self.soldInShop = soldInShop
        self.seen = seen
    }
}

/// Why an action was not queued: one line for staff, and whether it was their input
/// (`usage`, exit 2) or the state of things (exit 1).
public struct ActionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Cause: Sendable, Equatable { case usage, state }
    public var cause: Cause
    public var description: String

    public init(_ cause: Cause, _ description: String) {
        self.cause = cause
        self.description = description
    }
}

/// What undo did.
public enum UndoOutcome: Sendable, Equatable {
    /// The action had not left yet: it is cancelled and the mirror put back.
    case cancelled(CounterAction)
    /// A new action puts Discogs back as it was.
    case queued(CounterAction, undoing: CounterAction)
}
