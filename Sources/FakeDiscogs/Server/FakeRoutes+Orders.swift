import FlyingFox
import Foundation

/// Discogs' order routes for the seller: the list (paged, filtered, sorted), one order, status
/// changes (only to a status in `next_status`), and the messages.
extension FakeRoutes {
    static let orderSorts = ["id", "buyer", "created", "status", "last_activity"]

    func orderRoute(_ request: HTTPRequest, parts: [String], body: Data, caller: Caller, state: inout FakeState) -> Reply? {
        guard parts.count >= 2, parts[0] == "marketplace", parts[1] == "orders" else { return nil }
        guard case .owner = caller else {
            return Reply(status: .unauthorized, headers: [.contentType: "application/json"],
                         body: Render.message("You must authenticate to access this resource."))
        }
        switch (request.method, parts.count) {
        case (.GET, 2): return orderList(request, state: state)
        case (.GET, 3): return state.orderBook.order(parts[2]).map { ok(Render.json(render($0))) } ?? orderNotFound()
        case (.POST, 3): return changeOrder(parts[2], body: body, state: &state)
        case (.GET, 4) where parts[3] == "messages":
            guard let order = state.orderBook.order(parts[2]) else { return orderNotFound() }
            let messages = order.messages.map(render)
            return ok(Render.json(.object(["pagination": .object(["page": .int(1), "pages": .int(1), "per_page": .int(50),
                                                                   "items": .int(Int64(messages.count)), "urls": .object([:])]),
                                           "messages": .array(messages)])))
        case (.POST, 4) where parts[3] == "messages":
            return postMessage(parts[2], body: body, state: &state)
        default:
            return notFound("The requested resource was not found.")
        }
    }

    private func orderList(_ request: HTTPRequest, state: FakeState) -> Reply {
        let query = Dictionary(request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        var orders = state.orderBook.orders
        if let status = query["status"], status != "All" { orders = orders.filter { $0.status == status } }
        if let archived = query["archived"] { orders = orders.filter { $0.archived == (archived == "true") } }
        let sort = query["sort"] ?? "id"
        guard Self.orderSorts.contains(sort) else {
            return Reply(status: HTTPStatusCode(422, phrase: "Unprocessable Entity"), headers: [.contentType: "application/json"],
                         body: Render.message("Invalid sort: expected one of \(Self.orderSorts.joined(separator: ", "))."))
        }
        let key: (FakeOrder) -> String = switch sort {
        case "buyer": { $0.buyer }
        case "created": { $0.created }
        case "status": { $0.status }
        case "last_activity": { $0.lastActivity }
        default: { String(repeating: "0", count: 12 - $0.id.count) + $0.id }
        }
        orders.sort { key($0) < key($1) }
        if query["sort_order"] != "asc" { orders.reverse() }   // Discogs' default is descending
        let perPage = min(100, max(1, Int(query["per_page"] ?? "") ?? 50))
        let page = max(1, Int(query["page"] ?? "") ?? 1)
        let pages = max(1, (orders.count + perPage - 1) / perPage)
        let slice = orders.dropFirst((page - 1) * perPage).prefix(perPage)
        return ok(Render.json(.object([
            "pagination": .object(["page": .int(Int64(page)), "pages": .int(Int64(pages)), "per_page": .int(Int64(perPage)),
                                   "items": .int(Int64(orders.count)), "urls": .object([:])]),
            "orders": .array(slice.map(render)),
        ])))
    }

    private func changeOrder(_ id: String, body: Data, state: inout FakeState) -> Reply {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return unprocessable("Invalid JSON body.") }
        if object["status"] != nil, object["shipping"] != nil { return unprocessable("Status and shipping can't be changed together.") }
        guard let status = object["status"] as? String else {
            guard state.orderBook.order(id) != nil else { return orderNotFound() }
            return ok(Render.json(render(state.orderBook.order(id)!)))   // an invoice: nothing the fake tracks
        }
        switch state.orderBook.setStatus(id, to: status, seller: configuration.seller) {
        case .done(let order): return ok(Render.json(render(order)))
        case .notFound: return orderNotFound()
        case .notOffered(let from): return unprocessable("Invalid status: an order that is \(from) can't become \(status).")
        }
    }

    private func postMessage(_ id: String, body: Data, state: inout FakeState) -> Reply {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return unprocessable("Invalid JSON body.") }
        let message = object["message"] as? String
        let status = object["status"] as? String
        guard message?.isEmpty == false || status != nil else { return unprocessable("A message or a status is required.") }
        guard state.orderBook.order(id) != nil else { return orderNotFound() }
        if let status {
            switch state.orderBook.setStatus(id, to: status, seller: configuration.seller, message: message) {
            case .done: break
            case .notFound: return orderNotFound()
            case .notOffered(let from): return unprocessable("Invalid status: an order that is \(from) can't become \(status).")
            }
        } else if let message {
            _ = state.orderBook.addMessage(id, message: message, from: configuration.seller)
        }
        let newest = state.orderBook.order(id)!.messages[0]
        return Reply(status: .created, headers: [.contentType: "application/json"], body: Render.json(render(newest)))
    }

    private func orderNotFound() -> Reply { notFound("Order not found.") }


    func render(_ order: FakeOrder) -> JSONValue {
        let base = server.baseString
        return .object([
            "id": .string(order.id), "status": .string(order.status), "next_status": .array(FakeOrder.nextStatus(order.status).map(JSONValue.string)),
            "created": .string(order.created), "last_activity": .string(order.lastActivity),
            "buyer": .object(["id": .int(Int64(900 + order.buyer.count)), "username": .string(order.buyer),
                              "resource_url": .string("\(base)/users/\(order.buyer)")]),
            "seller": .object(["id": .int(configuration.sellerID), "username": .string(configuration.seller)]),
            "items": .array(order.items.map { item in
                .object(["id": .int(item.listingID), "release": .object(["id": .int(item.releaseID), "description": .string(item.description)]),
                         "price": .object(["currency": .string(order.currency), "value": .double(item.price)]),
                         "media_condition": .string(item.mediaCondition), "sleeve_condition": .string(item.sleeveCondition)])
            }),
            "total": .object(["currency": .string(order.currency), "value": .double((order.total * 100).rounded() / 100)]),
            "fee": .object(["currency": .string(order.currency), "value": .double(order.fee)]),
            "shipping": .object(["currency": .string(order.currency), "method": .string("Standard"), "value": .double(order.shipping)]),
            "shipping_address": .string(order.shippingAddress), "additional_instructions": .string(order.instructions),
            "archived": .bool(order.archived), "messages_url": .string("\(base)/marketplace/orders/\(order.id)/messages"),
            "resource_url": .string("\(base)/marketplace/orders/\(order.id)"), "uri": .string("https://www.discogs.com/sell/order/\(order.id)"),
        ])
    }

    func render(_ message: FakeOrder.Message) -> JSONValue {
        .object(["type": .string(message.type), "subject": .string(message.subject), "message": .string(message.message),
                 "timestamp": .string(message.timestamp), "from": .object(["username": .string(message.from)])])
    }
}
