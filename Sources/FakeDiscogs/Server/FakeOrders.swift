import Foundation

/// The fake shop's orders, with Discogs' state machine: what `next_status` each status offers,
/// Shipped only from a paid order, every status change messaging the buyer.
public struct FakeOrder: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var listingID: Int64
        public var releaseID: Int64
        public var description: String
        public var price: Double
        public var mediaCondition: String
        public var sleeveCondition: String
    }

    public struct Message: Sendable, Equatable {
        public var type: String
        public var subject: String
        public var message: String
        public var timestamp: String
        public var from: String
    }

    public var id: String
    public var status: String
    public var created: String
    public var lastActivity: String
    public var buyer: String
    public var items: [Item]
    public var currency: String
    public var shipping: Double
    public var shippingAddress: String
    public var instructions: String
    public var archived = false
    /// Newest first, as Discogs lists them.
    public var messages: [Message] = []

    public var total: Double { items.reduce(shipping) { $0 + $1.price } }
    /// Discogs' fee: 9% of the items.
    public var fee: Double { (items.reduce(0) { $0 + $1.price } * 0.09 * 100).rounded() / 100 }

    static let cancelled = ["Cancelled (Non-Paying Buyer)", "Cancelled (Item Unavailable)", "Cancelled (Per Buyer's Request)"]

    /// The statuses an order may move to, itself first (as Discogs lists them).
    public static func nextStatus(_ status: String) -> [String] {
        switch status {
        case "New Order", "Buyer Contacted", "Invoice Sent", "Payment Pending":
            [status] + ["New Order", "Buyer Contacted", "Invoice Sent", "Payment Pending", "Payment Received"].filter { $0 != status } + cancelled
        case "Payment Received":
            [status, "In Progress", "Shipped", "Refund Sent"] + cancelled
        case "In Progress":
            [status, "Payment Received", "Shipped", "Refund Sent"] + cancelled
        case "Shipped":
            [status, "Refund Sent"]
        default:
            [status]
        }
    }
}

struct FakeOrderBook {
    private(set) var orders: [FakeOrder] = []
    private var next = 1

    /// Times advance a second per event, so `last_activity` orders them even within a second.
    private var clock = 0

    mutating func stamp() -> String {
        clock += 1
        return ShopGenerator.pacificTimestamp(Int(Date().timeIntervalSince1970) + clock)
    }

    mutating func create(sellerID: Int64, seller: String, buyer: String, items: [FakeOrder.Item], currency: String, paid: Bool) -> FakeOrder {
        let at = stamp()
        var order = FakeOrder(id: "\(sellerID)-\(next)", status: "New Order", created: at, lastActivity: at, buyer: buyer, items: items,
                              currency: currency, shipping: 4.5, shippingAddress: "\(buyer.capitalized)\n12 Record Lane\n10115 Berlin\nGermany",
                              instructions: next % 3 == 0 ? "Please pack it well, it's a gift." : "")
        next += 1
        order.messages.insert(.init(type: "message", subject: "Order \(order.id)", message: "Hi! Looking forward to it.", timestamp: at, from: buyer), at: 0)
        orders.append(order)
        if paid { _ = setStatus(order.id, to: "Payment Received", seller: seller) }
        return self.order(order.id)!
    }

    func order(_ id: String) -> FakeOrder? { orders.first { $0.id == id } }

    enum Outcome: Equatable { case done(FakeOrder), notFound, notOffered(String) }

    mutating func setStatus(_ id: String, to status: String, seller: String, message: String? = nil) -> Outcome {
        guard let index = orders.firstIndex(where: { $0.id == id }) else { return .notFound }
        let from = orders[index].status
        guard FakeOrder.nextStatus(from).contains(status) else { return .notOffered(from) }
        let at = stamp()
        orders[index].status = status
        orders[index].lastActivity = at
        if status != from {
            orders[index].messages.insert(.init(type: "status", subject: "Order \(id)", message: "Seller changed status from \(from) to \(status)",
                                                timestamp: at, from: seller), at: 0)
        }
        if let message, !message.isEmpty {
            orders[index].messages.insert(.init(type: "message", subject: "Order \(id)", message: message, timestamp: at, from: seller), at: 0)
        }
        return .done(orders[index])
    }

    mutating func addMessage(_ id: String, message: String, from: String) -> FakeOrder? {
        guard let index = orders.firstIndex(where: { $0.id == id }) else { return nil }
        let at = stamp()
        orders[index].lastActivity = at
        orders[index].messages.insert(.init(type: "message", subject: "Order \(id)", message: message, timestamp: at, from: from), at: 0)
        return orders[index]
    }
}
