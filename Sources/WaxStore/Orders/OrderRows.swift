import Foundation
import GRDB

/// The orders' tables as GRDB records: each column named once, rows written and read by name.

struct OrderRow: Codable, FetchableRecord, PersistableRecord, SnakeCaseRecord {
    static let databaseTableName = "orders"

    enum Columns {
        static let orderID = Column("order_id")
        static let status = Column("status")
        static let firstSeenAt = Column("first_seen_at")
        static let messagesPending = Column("messages_pending")
    }

    var orderId: String
    var status: String
    /// JSON array, as Discogs sent it.
    var nextStatus: String?
    var created: String?
    /// UTC seconds, for sorting.
    var createdAt: Int64?
    var lastActivity: String?
    var lastActivityAt: Int64?
    var buyer: String?
    var totalValue: Double?
    var totalCurrency: String?
    var feeValue: Double?
    var feeCurrency: String?
    var shippingMethod: String?
    var shippingValue: Double?
    var shippingCurrency: String?
    var shippingAddress: String?
    var instructions: String?
    var archived: Bool
    var json: String?
    var firstSeenAt: String
    var updatedAt: String
    /// Stored before its messages were read: the next poll reads them.
    var messagesPending: Bool

    init(_ order: OrderRecord, messagesPending: Bool, at stamp: String) {
        orderId = order.id
        status = order.status.rawValue
        nextStatus = Self.jsonArray(order.nextStatus.map(\.rawValue))
        created = order.created
        createdAt = order.createdAt.map { Int64($0.timeIntervalSince1970) }
        lastActivity = order.lastActivity
        lastActivityAt = order.lastActivityAt.map { Int64($0.timeIntervalSince1970) }
        buyer = order.buyer
        totalValue = order.total
        totalCurrency = order.totalCurrency
        feeValue = order.fee
        feeCurrency = order.feeCurrency
        shippingMethod = order.shippingMethod
        shippingValue = order.shippingValue
        shippingCurrency = order.shippingCurrency
        shippingAddress = order.shippingAddress
        instructions = order.instructions
        archived = order.archived
        json = order.rawJSON
        firstSeenAt = stamp
        updatedAt = stamp
        self.messagesPending = messagesPending
    }

    /// Stores it; an order already there keeps when wax first saw it.
    func save(_ db: Database) throws {
        _ = try upsertAndFetch(db) { _ in [Columns.firstSeenAt.noOverwrite] }
    }

    /// The order without its items (read beside it).
    var record: OrderRecord {
        OrderRecord(id: orderId, status: OrderStatus(rawValue: status), nextStatus: Self.decodeArray(nextStatus).map(OrderStatus.init(rawValue:)),
                    created: created, lastActivity: lastActivity, buyer: buyer, total: totalValue, totalCurrency: totalCurrency,
                    fee: feeValue, feeCurrency: feeCurrency, shippingMethod: shippingMethod, shippingValue: shippingValue,
                    shippingCurrency: shippingCurrency, shippingAddress: shippingAddress, instructions: instructions, archived: archived)
    }

    static func jsonArray(_ values: [String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: values)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decodeArray(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String] ?? []
    }
}

struct OrderItemRow: Codable, FetchableRecord, PersistableRecord, SnakeCaseRecord {
    static let databaseTableName = "order_items"

    enum Columns {
        static let orderID = Column("order_id")
    }

    var orderId: String
    var position: Int
    var listingId: Int64
    var releaseId: Int64?
    var description: String?
    var priceValue: Double?
    var priceCurrency: String?
    var mediaCondition: String?
    var sleeveCondition: String?

    init(_ item: OrderItemRecord, of orderID: String, at position: Int) {
        orderId = orderID
        self.position = position
        listingId = item.listingID
        releaseId = item.releaseID
        description = item.description
        priceValue = item.price
        priceCurrency = item.currency
        mediaCondition = item.mediaCondition
        sleeveCondition = item.sleeveCondition
    }
}

struct OrderMessageRow: Codable, FetchableRecord, PersistableRecord, SnakeCaseRecord {
    static let databaseTableName = "order_messages"

    enum Columns {
        static let orderID = Column("order_id")
        static let position = Column("position")
    }

    var orderId: String
    /// 0 = newest, as Discogs lists them.
    var position: Int
    var type: String?
    var subject: String?
    var message: String?
    var sentAt: String?
    var fromUser: String?

    init(_ message: OrderMessage, of orderID: String, at position: Int) {
        orderId = orderID
        self.position = position
        type = message.type
        subject = message.subject
        self.message = message.message
        sentAt = message.sentAt
        fromUser = message.from
    }

    var orderMessage: OrderMessage { OrderMessage(type: type, subject: subject, message: message, sentAt: sentAt, from: fromUser) }
}
