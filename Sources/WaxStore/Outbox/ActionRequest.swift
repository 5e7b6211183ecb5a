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
    /// The highest price this shop allows (`WAX_MAX_PRICE`).
    public var priceLimit = FieldRules.defaultPriceLimit
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

/// Why an action was not queued, as a reason the presentation layer words for staff
/// (`RefusalText`); whether it was their input (`usage`, exit 2) or the state of things (exit 1)
/// follows from it.
public struct ActionRefusal: Error, Sendable, Equatable {
    public enum Cause: Sendable, Equatable { case usage, state }

    public enum Reason: Sendable, Equatable {
        // What staff typed or asked for.
        case noListing(Int64)
        case noAction(Int64)
        case noOrder(String)
        case invalid(FieldProblem)
        case orderStatusNotOffered(order: String, current: OrderStatus, offered: [OrderStatus])
        case orderStatusElsewhere
        case intakeElsewhere
        /// A run of reprices is made with `wax reprice` (or `R`), never as one action.
        case repriceElsewhere
        /// A rule that changes nothing, or a selection with nothing in it.
        case cannotReprice(String)
        /// No reprice run N.
        case noRun(Int64)
        case unknownRelease(Int64)
        case otherCurrency(listing: Int64, currency: String, asked: String)
        case unchanged(listing: Int64, EditableField, FieldValue?)
        // The state of things.
        case notForSale(listing: Int64, RemovalReason)
        /// A new listing still waiting for Discogs: it has no Discogs listing to act on yet.
        case notListedYet(listing: Int64)
        case changedSinceSeen(listing: Int64, ListingFields.Difference)
        case severalCopies(listing: Int64, quantity: Int)
        case alreadySoldOnDiscogs(listing: Int64)
        case alreadyHeld(listing: Int64)
        case cannotHold(listing: Int64, ListingStatus)
        case notHeld(listing: Int64)
        case notDoubleSoldHold(listing: Int64)
        case nothingToUndo
        case cannotUndo(CounterAction, ActionKind.NeverUndone)
        case deletedOnDiscogs(CounterAction)
        /// Leaving for Discogs right now: `undo` or `cancel` must wait.
        case beingSent(CounterAction, whileTrying: Attempt)
        case alreadyFinal(CounterAction)
        case notRetryable(CounterAction)
    }

    /// What staff tried on an action being sent.
    public enum Attempt: Sendable, Equatable { case undo, cancel }

    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var cause: Cause {
        switch reason {
        case .noListing, .noAction, .noOrder, .invalid, .orderStatusNotOffered, .orderStatusElsewhere, .intakeElsewhere, .unknownRelease,
             .repriceElsewhere, .cannotReprice, .noRun,
             .otherCurrency, .unchanged:
            .usage
        case .notForSale, .notListedYet, .changedSinceSeen, .severalCopies, .alreadySoldOnDiscogs, .alreadyHeld, .cannotHold, .notHeld,
             .notDoubleSoldHold, .nothingToUndo, .cannotUndo, .deletedOnDiscogs, .beingSent, .alreadyFinal, .notRetryable:
            .state
        }
    }
}

/// What undo did.
public enum UndoOutcome: Sendable, Equatable {
    /// The action had not left yet: it is cancelled and the mirror put back.
    case cancelled(CounterAction)
    /// A new action puts Discogs back as it was.
    case queued(CounterAction, undoing: CounterAction)
}
