import Foundation

/// What staff can do through the outbox, each declared once: what it acts on, the fields it
/// changes on Discogs, what it does to the mirror at once, how it is undone, whether it is a
/// sale. The store, the sender, the browser and the CLI read this table; a new kind is one case
/// here (the compiler then names every place that must say what it does) and its Discogs call.
public enum ActionKind: String, Sendable, Codable, CaseIterable {
    /// Sold at the counter: a Draft on Discogs (or deleted, `WAX_SOLD_IN_SHOP=delete`).
    case sell
    /// Kept aside for a customer: a Draft on Discogs, still in the mirror, marked held.
    case hold
    /// Back to For Sale after a hold (or to undo a sale).
    case release
    case price
    case move
    case comment
    /// An order moved on (In Progress, Shipped with a tracking message…).
    case orderStatus = "order-status"
    /// A new listing, from intake: shown at once under a provisional id, which becomes
    /// Discogs' own when the listing is created and read back.
    case create
    /// A reprice run sent as one CSV change job (`POST /inventory/upload/change`): one
    /// action for any number of listings, verified row by row after Discogs processed it.
    case priceRun = "price-run"

    /// What an action acts on.
    public enum Target: Sendable, Equatable { case listing, order, run }

    /// What it does to the mirror's listing at once, while Discogs has not confirmed it.
    public enum LocalEffect: Sendable, Equatable {
        /// The listing leaves the current listings, for this reason.
        case leavesList(RemovalReason)
        /// Still listed, marked held (with who and the note).
        case holds
        /// No longer held; back in the current listings if it had left them.
        case releases
        /// Only its fields change.
        case setsFields
        /// A new listing appears (under a provisional id until Discogs gives it one).
        case creates
        /// Nothing of a listing (an order's status).
        case none
    }

    /// How it is undone: by an action of `kind` that puts back what it changed, or not at all.
    public enum Undo: Sendable, Equatable {
        case by(ActionKind)
        case never(NeverUndone)
    }

    /// Why an action can't be undone.
    public enum NeverUndone: Sendable, Equatable {
        /// Discogs has told the buyer (an order's status).
        case buyerTold
        /// A listing wax created is deleted on the Discogs website, not undone here.
        case listedNew
        /// A reprice run is undone as a whole, by an inverse run (`wax reprice --undo N`).
        case wholeRun
    }

    public struct Spec: Sendable {
        public let target: Target
        /// The fields it changes on Discogs (and checks were not changed meanwhile).
        public let fields: [EditableField]
        public let effect: LocalEffect
        public let undo: Undo
        /// Counts in the shop's sales.
        public let isSale: Bool
        /// Takes the record off sale for the shop (a later order for it is a double sale).
        public let takesOffSale: Bool
    }

    public var spec: Spec {
        switch self {
        case .sell:
            Spec(target: .listing, fields: [.status], effect: .leavesList(.soldInShop), undo: .by(.release), isSale: true, takesOffSale: true)
        case .hold:
            Spec(target: .listing, fields: [.status], effect: .holds, undo: .by(.release), isSale: false, takesOffSale: true)
        case .release:
            Spec(target: .listing, fields: [.status], effect: .releases, undo: .by(.hold), isSale: false, takesOffSale: false)
        case .price:
            Spec(target: .listing, fields: [.price], effect: .setsFields, undo: .by(.price), isSale: false, takesOffSale: false)
        case .move:
            Spec(target: .listing, fields: [.location], effect: .setsFields, undo: .by(.move), isSale: false, takesOffSale: false)
        case .comment:
            Spec(target: .listing, fields: [.comments], effect: .setsFields, undo: .by(.comment), isSale: false, takesOffSale: false)
        case .create:
            Spec(target: .listing, fields: EditableField.allCases, effect: .creates, undo: .never(.listedNew), isSale: false, takesOffSale: false)
        case .orderStatus:
            Spec(target: .order, fields: [], effect: .none, undo: .never(.buyerTold),
                 isSale: false, takesOffSale: false)
        case .priceRun:
            // The mirror takes each listing's new price when Discogs' inventory shows it.
            Spec(target: .run, fields: [.price], effect: .none, undo: .never(.wholeRun), isSale: false, takesOffSale: false)
        }
    }

    /// The kinds that count as a sale, for SQL (`kind IN (…)`).
    static var saleKindsSQL: String { sqlList(allCases.filter(\.spec.isSale)) }

    /// The kinds that take a record off sale, and the one that puts it back, for SQL.
    static var offSaleKindsSQL: String { sqlList(allCases.filter(\.spec.takesOffSale)) }

    static func sqlList(_ kinds: [ActionKind]) -> String { kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ") }
}

/// Where an action is. `queued`, `sending` and `sent` are open: the sender will (re)send or
/// verify them; the others are final.
public enum ActionState: String, Sendable, Codable, CaseIterable {
    case queued, sending, sent, confirmed, conflict, failed, cancelled

    public var isOpen: Bool {
        switch self {
        case .queued, .sending, .sent: true
        case .confirmed, .conflict, .failed, .cancelled: false
        }
    }

    /// Discogs refused it (or it could not be done): what it meant to change did not happen.
    public var isRefused: Bool { self == .conflict || self == .failed }

    /// The open states, for SQL (`state IN (…)`).
    static var openSQL: String { allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ", ") }
}

/// How a sale at the counter leaves Discogs (`WAX_SOLD_IN_SHOP`).
public enum SoldInShopMode: String, Sendable, CaseIterable {
    /// A Draft: off sale, and can be put back on sale (undo).
    case draft
    /// Deleted for good.
    case delete
}
