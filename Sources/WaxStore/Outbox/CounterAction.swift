import Foundation

/// What staff can do to a listing from wax. Each is one row in the outbox (`actions`), sent to
/// Discogs by the outbox sender and confirmed by reading the listing back.
public enum ActionKind: String, Sendable, Codable, CaseIterable {
    /// Sold at the counter: a Draft on Discogs (or deleted, `WAX_SOLD_IN_SHOP=delete`); removed
    /// from the mirror's current listings with the reason `sold in shop`.
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

    /// Whether it acts on an order rather than a listing.
    public var isOrderAction: Bool { self == .orderStatus }

    /// What it is called in history ("hold refused: sold on Discogs").
    public var noun: String {
        switch self {
        case .sell: "sale"
        case .hold: "hold"
        case .release: "release"
        case .price: "reprice"
        case .move: "move"
        case .comment: "comments edit"
        case .orderStatus: "order status change"
        }
    }

    /// The verb staff read in messages and history ("sold in shop by alice").
    public var pastTense: String {
        switch self {
        case .sell: "sold in shop"
        case .hold: "held"
        case .release: "back on sale"
        case .price: "repriced"
        case .move: "moved"
        case .comment: "comments edited"
        case .orderStatus: "order status changed"
        }
    }
}

/// Where an action is. `queued`, `sending` and `sent` are open: the sender will (re)send or
/// verify them; the others are final.
public enum ActionState: String, Sendable, Codable, CaseIterable {
    case queued, sending, sent, confirmed, conflict, failed, cancelled

    public var isOpen: Bool { self == .queued || self == .sending || self == .sent }
}

/// The fields of a listing an action reads or writes, as Discogs holds them. `nil` means "not
/// part of this action": only the fields an action touches are compared and changed.
public struct ListingFields: Sendable, Equatable, Codable {
    public var status: String?
    public var price: Double?
    public var currency: String?
    public var location: String?
    public var comments: String?
    /// The listing is to be deleted on Discogs (a sale with `WAX_SOLD_IN_SHOP=delete`).
    public var deleted: Bool?

    public init(status: String? = nil, price: Double? = nil, currency: String? = nil, location: String? = nil,
                comments: String? = nil, deleted: Bool? = nil) {
        self.status = status
        self.price = price
        self.currency = currency
        self.location = location
        self.comments = comments
        self.deleted = deleted
    }

    /// These fields as `record` holds them (the same fields `self` names).
    public func current(in record: ListingRecord) -> ListingFields {
        ListingFields(status: status == nil ? nil : record.status,
                      price: price == nil ? nil : record.priceValue,
                      currency: currency == nil ? nil : record.priceCurrency,
                      location: location == nil ? nil : (record.location ?? ""),
                      comments: comments == nil ? nil : (record.comments ?? ""),
                      deleted: deleted == nil ? nil : false)
    }

    /// Whether `record` holds these values (prices to the cent: Discogs keeps two decimals).
    public func isHeld(by record: ListingRecord) -> Bool {
        differences(from: record).isEmpty
    }

    /// Each field whose value in `record` is not this one's: (name, `record`'s, this one's).
    public func differences(from record: ListingRecord) -> [(field: String, theirs: String, ours: String)] {
        var out: [(String, String, String)] = []
        if let status, status != record.status { out.append(("status", record.status, status)) }
        if let price, Self.cents(price) != record.priceValue.map(Self.cents) {
            out.append(("price", Self.money(record.priceValue, record.priceCurrency), Self.money(price, currency ?? record.priceCurrency)))
        } else if let currency, let theirs = record.priceCurrency, currency != theirs {
            out.append(("currency", theirs, currency))
        }
        if let location, location != (record.location ?? "") { out.append(("location", Self.shown(record.location), Self.shown(location))) }
        if let comments, comments != (record.comments ?? "") { out.append(("comments", Self.shown(record.comments), Self.shown(comments))) }
        return out
    }

    /// Applies these values to `record` (what the mirror shows while the action is open).
    public func apply(to record: inout ListingRecord) {
        if let status { record.status = status }
        if let price { record.priceValue = price }
        if let currency { record.priceCurrency = currency }
        if let location { record.location = location.isEmpty ? nil : location }
        if let comments { record.comments = comments.isEmpty ? nil : comments }
    }

    static func cents(_ value: Double) -> Int64 { Int64((value * 100).rounded()) }

    public static func money(_ value: Double?, _ currency: String?) -> String {
        guard let value else { return "no price" }
        let text = String(format: "%.2f", value)
        return currency.map { "\(text) \($0)" } ?? text
    }

    static func shown(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "(empty)" }
        return "\"\(text)\""
    }
}

/// One row of the outbox.
public struct CounterAction: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var kind: ActionKind
    /// The listing acted on (0 for an order action).
    public var listingID: Int64
    /// The order acted on, for an order action.
    public var orderID: String?
    /// The Unix login of the staff member who did it.
    public var user: String
    public var createdAt: Date
    /// The values the staff member saw when they acted: Discogs must still hold them, or the
    /// action is refused as a conflict.
    public var expected: ListingFields
    /// The values the action puts on Discogs.
    public var change: ListingFields
    public var note: String?
    public var state: ActionState
    public var attempts: Int
    public var nextAttemptAt: Date?
    /// Why it is where it is: a conflict's two values, a failure's reason, a retry's cause.
    public var message: String?
    public var updatedAt: Date
    /// The action this one undoes.
    public var undoes: Int64?
    /// For display (from the listing).
    public var artist: String?
    public var title: String?
    public var location: String?

    public init(id: Int64, kind: ActionKind, listingID: Int64, user: String, createdAt: Date, expected: ListingFields,
                change: ListingFields, note: String? = nil, state: ActionState = .queued, attempts: Int = 0,
                nextAttemptAt: Date? = nil, message: String? = nil, updatedAt: Date? = nil, undoes: Int64? = nil,
                artist: String? = nil, title: String? = nil, location: String? = nil, orderID: String? = nil) {
        self.id = id
        self.orderID = orderID
        self.kind = kind
        self.listingID = listingID
        self.user = user
        self.createdAt = createdAt
        self.expected = expected
        self.change = change
        self.note = note
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.message = message
        self.updatedAt = updatedAt ?? createdAt
        self.undoes = undoes
        self.artist = artist
        self.title = title
        self.location = location
    }

    /// "repriced 9.99 → 7.99 USD", "moved A1 → D4", "sold in shop".
    public var summary: String {
        switch kind {
        case .price:
            "repriced \(ListingFields.money(expected.price, expected.currency)) → \(ListingFields.money(change.price, change.currency ?? expected.currency))"
        case .move:
            "moved \(expected.location.flatMap { $0.isEmpty ? nil : $0 } ?? "(no bin)") → \(change.location.flatMap { $0.isEmpty ? nil : $0 } ?? "(no bin)")"
        case .sell where change.deleted == true:
            "sold in shop (deleted on Discogs)"
        case .orderStatus:
            "order \(orderID ?? "?"): \(expected.status ?? "?") → \(change.status ?? "?")\(note.map { " (message: \($0))" } ?? "")"
        default:
            kind.pastTense
        }
    }
}

/// How a sale at the counter leaves Discogs (`WAX_SOLD_IN_SHOP`).
public enum SoldInShopMode: String, Sendable, CaseIterable {
    /// A Draft: off sale, and can be put back on sale (undo).
    case draft
    /// Deleted for good.
    case delete
}
