import Foundation

/// A Discogs order as the orders routes describe it.
public struct OrderRecord: Sendable, Equatable {
    public var id: String
    public var status: OrderStatus
    /// The statuses Discogs lets the seller move it to (itself included).
    public var nextStatus: [OrderStatus]
    public var created: String?
    public var lastActivity: String?
    public var buyer: String?
    public var total: Double?
    public var totalCurrency: String?
    public var fee: Double?
    public var feeCurrency: String?
    public var shippingMethod: String?
    public var shippingValue: Double?
    public var shippingCurrency: String?
    public var shippingAddress: String?
    public var instructions: String?
    public var archived: Bool
    public var items: [OrderItemRecord]
    /// Discogs' own words, kept as for listings.
    public var rawJSON: String?

    public init(id: String, status: OrderStatus, nextStatus: [OrderStatus] = [], created: String? = nil, lastActivity: String? = nil,
                buyer: String? = nil, total: Double? = nil, totalCurrency: String? = nil, fee: Double? = nil, feeCurrency: String? = nil,
                shippingMethod: String? = nil, shippingValue: Double? = nil, shippingCurrency: String? = nil,
                shippingAddress: String? = nil, instructions: String? = nil, archived: Bool = false, items: [OrderItemRecord] = [],
                rawJSON: String? = nil) {
        self.id = id
        self.status = status
        self.nextStatus = nextStatus
        self.created = created
        self.lastActivity = lastActivity
        self.buyer = buyer
        self.total = total
        self.totalCurrency = totalCurrency
        self.fee = fee
        self.feeCurrency = feeCurrency
        self.shippingMethod = shippingMethod
        self.shippingValue = shippingValue
        self.shippingCurrency = shippingCurrency
        self.shippingAddress = shippingAddress
        self.instructions = instructions
        self.archived = archived
        self.items = items
        self.rawJSON = rawJSON
    }

    public var createdAt: Date? { PostedDate.parse(created) }
    public var lastActivityAt: Date? { PostedDate.parse(lastActivity) }

    /// "5m", "3h", "2d": how long the buyer has been waiting ("" when Discogs gave no date).
    public func age(now: Date) -> String {
        guard let createdAt else { return "" }
        let seconds = max(0, now.timeIntervalSince(createdAt))
        return seconds < 3_600 ? "\(Int(seconds / 60))m" : seconds < 86_400 ? "\(Int(seconds / 3_600))h" : "\(Int(seconds / 86_400))d"
    }
}

/// One item of an order: a listing (by id) bought.
public struct OrderItemRecord: Sendable, Equatable {
    public var listingID: Int64
    public var releaseID: Int64?
    /// "Artist - Title (Format)", as Discogs describes the release.
    public var description: String?
    public var price: Double?
    public var currency: String?
    public var mediaCondition: String?
    public var sleeveCondition: String?

    public init(listingID: Int64, releaseID: Int64? = nil, description: String? = nil, price: Double? = nil, currency: String? = nil,
                mediaCondition: String? = nil, sleeveCondition: String? = nil) {
        self.listingID = listingID
        self.releaseID = releaseID
        self.description = description
        self.price = price
        self.currency = currency
        self.mediaCondition = mediaCondition
        self.sleeveCondition = sleeveCondition
    }
}

/// A message of an order's conversation (status changes are messages too).
public struct OrderMessage: Sendable, Equatable {
    public var type: String?
    public var subject: String?
    public var message: String?
    public var sentAt: String?
    public var from: String?

    public init(type: String? = nil, subject: String? = nil, message: String? = nil, sentAt: String? = nil, from: String? = nil) {
        self.type = type
        self.subject = subject
        self.message = message
        self.sentAt = sentAt
        self.from = from
    }
}

/// An order's status on Discogs, and what each means to the shop, declared once: the Swift
/// rules and the SQL that selects by them are built from the same lists.
public struct OrderStatus: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    public static let newOrder: OrderStatus = "New Order"
    public static let paymentReceived: OrderStatus = "Payment Received"
    public static let inProgress: OrderStatus = "In Progress"
    public static let shipped: OrderStatus = "Shipped"
    public static let merged: OrderStatus = "Merged"

    /// Finished one way or another: these, and any status starting with one of the prefixes.
    private static let closed: [OrderStatus] = [.shipped, .merged]
    private static let cancelledPrefix = "Cancelled"
    private static let closedPrefixes = [cancelledPrefix, "Refund"]
    /// Paid and not shipped: what the pick list is made of.
    private static let toPick: [OrderStatus] = [.paymentReceived, .inProgress]

    public var isOpen: Bool { !Self.closed.contains(self) && !Self.closedPrefixes.contains { rawValue.hasPrefix($0) } }
    public var isCancelled: Bool { rawValue.hasPrefix(Self.cancelledPrefix) }
    public var isToPick: Bool { Self.toPick.contains(self) }

    /// `isOpen` in SQL, over `column`.
    static func openSQL(_ column: String) -> String {
        "(\(column) NOT IN (\(closed.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
            + closedPrefixes.map { " AND \(column) NOT LIKE '\($0)%'" }.joined() + ")"
    }

    /// `isCancelled` in SQL, over `column`.
    static func cancelledSQL(_ column: String) -> String { "\(column) LIKE '\(cancelledPrefix)%'" }

    /// `isToPick` in SQL, over `column`.
    static func toPickSQL(_ column: String) -> String {
        "\(column) IN (\(toPick.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
    }
}

/// An order as the mirror holds it: Discogs' record, its items with what the mirror knows of
/// each listing (bin, artist, title), messages, and why it is a double sale if it is one.
public struct Order: Sendable, Equatable, Identifiable {
    public struct Item: Sendable, Equatable {
        public var record: OrderItemRecord
        public var artist: String?
        public var title: String?
        public var location: String?
        /// Whether the listing is in the mirror at all (an item that is not is shown with the
        /// order's own description, never dropped).
        public var inMirror: Bool
        public var pickedBy: String?
    }

    public var record: OrderRecord
    public var items: [Item]
    public var messages: [OrderMessage]
    public var firstSeenAt: Date?
    /// Items this order bought that the shop had already taken off sale (sold in the shop,
    /// held, a sale still on its way to Discogs): staff must contact the buyer (or the
    /// customer) now, and resolve it.
    public var doubleSales: [DoubleSale]

    public var id: String { record.id }
    public var isOpen: Bool { record.status.isOpen }
    /// The double sales staff have not resolved yet.
    public var unresolvedDoubleSales: [DoubleSale] { doubleSales.filter { $0.resolution == nil } }
}

/// An item of an order that buys what the shop had already taken off sale. Kept until staff
/// resolve it: the order cancelled (with a status Discogs offers), or a hold given up.
public struct DoubleSale: Sendable, Equatable {
    public enum Cause: String, Sendable, Equatable {
        /// Sold at the counter (the sale on its way to Discogs, refused there, or confirmed).
        case sell
        /// Held for a customer.
        case hold
    }

    public struct Resolution: Sendable, Equatable {
        public var at: Date?
        public var by: String
        /// "order Cancelled (Item Unavailable)", "hold given up: the buyer gets it".
        public var how: String
    }

    public var orderID: String
    public var listingID: Int64
    public var cause: Cause
    /// Who sold or held it at the counter.
    public var user: String
    /// The hold's note: whom to call.
    public var customer: String?
    public var flaggedAt: Date?
    public var resolution: Resolution?

    public init(orderID: String, listingID: Int64, cause: Cause, user: String, customer: String? = nil, flaggedAt: Date? = nil,
                resolution: Resolution? = nil) {
        self.orderID = orderID
        self.listingID = listingID
        self.cause = cause
        self.user = user
        self.customer = customer
        self.flaggedAt = flaggedAt
        self.resolution = resolution
    }
}

/// One line of the pick list: an item of a paid order, where it sits.
public struct PickItem: Sendable, Equatable {
    public var orderID: String
    public var buyer: String?
    public var item: Order.Item
    public var status: OrderStatus
    /// This item was double-sold and that is not resolved: not to be picked.
    public var doubleSale: DoubleSale?
}

/// What sold: an item of an order, or a counter sale.
public struct Sale: Sendable, Equatable {
    public enum Channel: String, Sendable { case discogs, shop }
    public var channel: Channel
    public var soldAt: Date?
    public var listingID: Int64
    public var artist: String?
    public var title: String?
    public var price: Double?
    public var currency: String?
    /// Discogs' fee for the order, shared among its items by price.
    public var fee: Double?
    /// From listing to sale.
    public var stockAge: TimeInterval?
    public var orderID: String?
    public var user: String?
}

/// What applying a poll of orders did.
public struct OrdersApplied: Sendable, Equatable {
    public var new: [String] = []
    public var changed: [String] = []
    /// Listings that left the current listings because an order bought them.
    public var listingsSold = 0
    public var doubleSales: [String] = []
    public init() {}
}
