import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import WaxJSON
import WaxStore

/// The seller's orders: read (a page, one order, its messages) and moved on (a status, a
/// message with it). Writes are sent once; the outbox reads back to learn whether they landed.
extension DiscogsClient {
    public struct OrdersPage: Sendable {
        public var orders: [OrderRecord]
        public var page: Int
        public var pages: Int
    }

    /// Orders, most recently active first: how a poll sees what changed since the last one.
    public func ordersByActivity(page: Int, perPage: Int = 50) async throws -> OrdersPage {
        let target = url("/marketplace/orders", query: ["sort": "last_activity", "sort_order": "desc", "page": String(page), "per_page": String(perPage)])
        return try await get(target) { data in
            let root = try JSONReader.parse(data)
            let pagination = try root.object("pagination")
            return OrdersPage(orders: try root.objects("orders").map(OrderDecoding.order), page: try pagination?.int("page") ?? page,
                              pages: try pagination?.int("pages") ?? 1)
        }
    }

    /// One order; nil when Discogs has no such order for this seller.
    public func order(id: String) async throws -> OrderRecord? {
        do {
            return try await get(url("/marketplace/orders/\(Self.pathComponent(id))")) { try OrderDecoding.order(try JSONReader.parse($0)) }
        } catch DiscogsError.notFound {
            return nil
        }
    }

    /// An order's messages, newest first (the first page: the recent conversation).
    public func orderMessages(id: String) async throws -> [OrderMessage] {
        try await get(url("/marketplace/orders/\(Self.pathComponent(id))/messages")) { data in
            try JSONReader.parse(data).objects("messages").map(OrderDecoding.message)
        }
    }

    /// `POST /marketplace/orders/{id}` with a status (Discogs messages the buyer itself).
    public func setOrderStatus(id: String, status: OrderStatus) async throws {
        var request = self.request(url("/marketplace/orders/\(Self.pathComponent(id))"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(JSONValue.object(["status": .string(status.rawValue)]).utf8)
        _ = try await send(request, attempts: 1) { _ in () }
    }

    /// `POST /marketplace/orders/{id}/messages`: a message to the buyer, with a status change
    /// when given (how a tracking number goes with Shipped).
    public func postOrderMessage(id: String, message: String, status: OrderStatus?) async throws {
        var request = self.request(url("/marketplace/orders/\(Self.pathComponent(id))/messages"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        var body: [String: JSONValue] = ["message": .string(message)]
        if let status { body["status"] = .string(status.rawValue) }
        request.httpBody = Data(JSONValue.object(body).utf8)
        _ = try await send(request, attempts: 1) { _ in () }
    }
}

/// Discogs' order JSON → the mirror's records (every field optional but the id and status).
enum OrderDecoding {
    static func order(_ json: JSONReader) throws -> OrderRecord {
        guard let id = try json.string("id") ?? json.int64("id").map(String.init) else {
            throw JSONReader.Problem(description: "\(json.path): an order without an id")
        }
        var order = OrderRecord(id: id, status: try json.string("status").map(OrderStatus.init(rawValue:)) ?? .newOrder)
        order.nextStatus = try json.strings("next_status").map(OrderStatus.init(rawValue:))
        order.created = try json.string("created")
        order.lastActivity = try json.string("last_activity")
        order.buyer = try json.object("buyer")?.string("username")
        if let total = try json.object("total") {
            order.total = try total.double("value")
            order.totalCurrency = try total.string("currency")
        }
        if let fee = try json.object("fee") {
            order.fee = try fee.double("value")
            order.feeCurrency = try fee.string("currency")
        }
        if let shipping = try json.object("shipping") {
            order.shippingMethod = try shipping.string("method")
            order.shippingValue = try shipping.double("value")
            order.shippingCurrency = try shipping.string("currency")
        }
        order.shippingAddress = try json.string("shipping_address")
        order.instructions = try json.string("additional_instructions")
        order.archived = try json.bool("archived") ?? false
        order.items = try json.objects("items").compactMap { item in
            guard let listingID = try item.int64("id") else { return nil }
            let release = try item.object("release")
            let price = try item.object("price")
            return OrderItemRecord(listingID: listingID, releaseID: try release?.int64("id"), description: try release?.string("description"),
                                   price: try price?.double("value"), currency: try price?.string("currency"),
                                   mediaCondition: try item.string("media_condition"), sleeveCondition: try item.string("sleeve_condition"))
        }
        if let data = try? JSONSerialization.data(withJSONObject: json.object, options: [.sortedKeys]) {
            order.rawJSON = String(decoding: data, as: UTF8.self)
        }
        return order
    }

    static func message(_ json: JSONReader) throws -> OrderMessage {
        OrderMessage(type: try json.string("type"), subject: try json.string("subject"), message: try json.string("message"),
                     sentAt: try json.string("timestamp"), from: try json.object("from")?.string("username"))
    }
}
