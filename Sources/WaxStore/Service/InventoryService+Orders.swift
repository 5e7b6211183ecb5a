import Foundation
import GRDB

/// Discogs orders in the mirror: what a poll brings in (and the listings it takes off sale at
/// once), the orders view, the shared pick list, what sold, and status changes through the outbox.
extension InventoryService {
    /// The longest message wax sends with a status change (Discogs does not document a limit;
    /// a tracking note is a line or two).
    public static let maximumOrderMessageLength = 2_000

    /// `last_activity` of the stored orders among `ids`: a poll stops at the first order it
    /// already has unchanged.
    public func storedOrderActivity(ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try database.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT order_id, status, last_activity FROM orders WHERE order_id IN (SELECT value FROM json_each(?))",
                                        arguments: [Self.jsonArray(ids)]) {
                result[row["order_id"]] = "\(row["status"] as String? ?? "")|\(row["last_activity"] as String? ?? "")"
            }
            return result
        }
    }

    /// The fingerprint `storedOrderActivity` compares.
    public static func activityKey(_ order: OrderRecord) -> String { "\(order.status)|\(order.lastActivity ?? "")" }

    /// Stores what a poll read, in one transaction. A listing an order bought leaves the current
    /// listings at once (reason `sold on Discogs, order …`); an order buying what wax had taken off
    /// sale (sold in the shop, held, a sale on its way) is marked a double sale.
    public func applyOrders(_ orders: [OrderRecord], messages: [String: [OrderMessage]] = [:], now: Date = Date()) throws -> OrdersApplied {
        guard !orders.isEmpty || !messages.isEmpty else { return OrdersApplied() }
        return try database.write { db in
            var applied = OrdersApplied()
            let stamp = Timestamp.string(now)
            let writer = try ListingWriter(db, now: now)
            for order in orders {
                let existing = try Row.fetchOne(db, sql: "SELECT status, last_activity, double_sale FROM orders WHERE order_id = ?", arguments: [order.id])
                if let existing, existing["status"] as String? == order.status, existing["last_activity"] as String? == order.lastActivity,
                   messages[order.id] == nil {
                    continue
                }
                if existing == nil { applied.new.append(order.id) } else { applied.changed.append(order.id) }
                var doubleSale: String? = existing?["double_sale"]
                // A status change on its way to Discogs wins over what Discogs said a moment ago.
                var order = order
                if let pending = try String.fetchOne(db, sql: """
                    SELECT change FROM actions WHERE order_id = ? AND state IN ('queued', 'sending', 'sent') ORDER BY id DESC LIMIT 1
                    """, arguments: [order.id]), let status = (try? JSONDecoder().decode(ListingFields.self, from: Data(pending.utf8)))?.status {
                    order.status = status
                }
                try db.execute(sql: """
                    INSERT INTO orders(order_id, status, next_status, created, created_at, last_activity, last_activity_at, buyer,
                        total_value, total_currency, fee_value, fee_currency, shipping_method, shipping_value, shipping_currency,
                        shipping_address, instructions, archived, json, first_seen_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(order_id) DO UPDATE SET status = excluded.status, next_status = excluded.next_status,
                        last_activity = excluded.last_activity, last_activity_at = excluded.last_activity_at, buyer = excluded.buyer,
                        total_value = excluded.total_value, total_currency = excluded.total_currency, fee_value = excluded.fee_value,
                        fee_currency = excluded.fee_currency, shipping_method = excluded.shipping_method,
                        shipping_value = excluded.shipping_value, shipping_currency = excluded.shipping_currency,
                        shipping_address = excluded.shipping_address, instructions = excluded.instructions,
                        archived = excluded.archived, json = excluded.json, updated_at = excluded.updated_at
                    """, arguments: [order.id, order.status, Self.jsonArray(order.nextStatus), order.created,
                                     order.createdAt.map { Int64($0.timeIntervalSince1970) }, order.lastActivity,
                                     order.lastActivityAt.map { Int64($0.timeIntervalSince1970) }, order.buyer, order.total,
                                     order.totalCurrency, order.fee, order.feeCurrency, order.shippingMethod, order.shippingValue,
                                     order.shippingCurrency, order.shippingAddress, order.instructions, order.archived, order.rawJSON,
                                     stamp, stamp])
                try db.execute(sql: "DELETE FROM order_items WHERE order_id = ?", arguments: [order.id])
                for (position, item) in order.items.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO order_items(order_id, position, listing_id, release_id, description, price_value, price_currency,
                            media_condition, sleeve_condition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [order.id, position, item.listingID, item.releaseID, item.description, item.price, item.currency,
                                         item.mediaCondition, item.sleeveCondition])
                    guard !order.status.hasPrefix("Cancelled") else { continue }
                    if let conflict = try Self.doubleSale(db, listingID: item.listingID), doubleSale == nil {
                        doubleSale = conflict
                    }
                    let current = try Bool.fetchOne(db, sql: "SELECT removed_at IS NULL FROM listings WHERE listing_id = ?", arguments: [item.listingID]) ?? false
                    if current {
                        let reason = "sold on Discogs, order \(order.id)"
                        try writer.markRemoved(item.listingID, reason: reason)
                        try db.execute(sql: "DELETE FROM holds WHERE listing_id = ?", arguments: [item.listingID])
                        try db.execute(sql: """
                            INSERT INTO listing_changes(listing_id, change, field, changed_at) VALUES (?, 'removed', ?, ?)
                            """, arguments: [item.listingID, reason, stamp])
                        applied.listingsSold += 1
                    }
                }
                if let doubleSale {
                    try db.execute(sql: "UPDATE orders SET double_sale = ? WHERE order_id = ?", arguments: [doubleSale, order.id])
                    if existing?["double_sale"] as String? == nil { applied.doubleSales.append(order.id) }
                }
            }
            for (orderID, list) in messages {
                try db.execute(sql: "DELETE FROM order_messages WHERE order_id = ?", arguments: [orderID])
                for (position, message) in list.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO order_messages(order_id, position, type, subject, message, sent_at, from_user) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [orderID, position, message.type, message.subject, message.message, message.sentAt, message.from])
                }
            }
            try Self.bumpOrders(db)
            return applied
        }
    }

    /// Why an order for this listing is a double sale, if it is one.
    private static func doubleSale(_ db: Database, listingID: Int64) throws -> String? {
        if let user = try String.fetchOne(db, sql: """
            SELECT user FROM actions WHERE listing_id = ? AND kind = 'sell' AND state IN ('queued', 'sending', 'sent', 'confirmed')
            ORDER BY id DESC LIMIT 1
            """, arguments: [listingID]) {
            return "sold in the shop by \(user)"
        }
        if let user = try String.fetchOne(db, sql: "SELECT user FROM holds WHERE listing_id = ?", arguments: [listingID]) {
            return "held for a customer by \(user)"
        }
        return nil
    }

    public func ordersGeneration() throws -> Int64 {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'orders_generation'") ?? 0
        }
    }

    /// Orders, open ones first (newest activity first within each), optionally of one status.
    public func orders(openOnly: Bool = false, status: String? = nil, limit: Int = 500) throws -> [Order] {
        try database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if openOnly { conditions.append(Self.openCondition) }
            if let status {
                conditions.append("o.status = ? COLLATE NOCASE")
                arguments.append(status)
            }
            let ids = try String.fetchAll(db, sql: """
                SELECT o.order_id FROM orders o \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                ORDER BY \(Self.openCondition) DESC, o.last_activity_at DESC, o.order_id DESC LIMIT \(limit)
                """, arguments: StatementArguments(arguments))
            return try ids.compactMap { try Self.order(db, id: $0, withMessages: false) }
        }
    }

    static let openCondition = """
        (o.status NOT IN ('Shipped', 'Merged') AND o.status NOT LIKE 'Cancelled%' AND o.status NOT LIKE 'Refund%')
        """

    public func order(id: String) throws -> Order? {
        try database.read { db in try Self.order(db, id: id, withMessages: true) }
    }

    /// Every order id in the mirror: a browser compares them to announce the new ones ("2 new
    /// orders"), whatever the clocks of the processes that stored them.
    public func orderIDs() throws -> Set<String> {
        try database.read { db in Set(try String.fetchAll(db, sql: "SELECT order_id FROM orders")) }
    }

    /// Every item of the orders that are paid and not shipped, in the order staff walk the shop
    /// (bins in natural order: C2, C3, C27), then by order.
    public func pickList() throws -> [PickItem] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.order_id, o.buyer, o.status, i.*, l.artist, l.title, l.location, l.listing_id IS NOT NULL AS in_mirror,
                       p.user AS picked_by
                FROM orders o JOIN order_items i ON i.order_id = o.order_id
                LEFT JOIN listings l ON l.listing_id = i.listing_id
                LEFT JOIN pick_marks p ON p.order_id = o.order_id AND p.listing_id = i.listing_id
                WHERE o.status IN ('Payment Received', 'In Progress')
                ORDER BY l.location_key IS NULL, l.location_key, o.order_id, i.position
                """).map { row in
                PickItem(orderID: row["order_id"], buyer: row["buyer"], item: Self.item(row), status: row["status"])
            }
        }
    }

    /// Marks an item picked (or not), for everyone sharing the pick list.
    public func setPicked(orderID: String, listingID: Int64, picked: Bool, user: String, now: Date = Date()) throws {
        try database.writeBookkeeping { db in
            if picked {
                try db.execute(sql: "INSERT OR REPLACE INTO pick_marks(order_id, listing_id, user, picked_at) VALUES (?, ?, ?, ?)",
                               arguments: [orderID, listingID, user, Timestamp.string(now)])
            } else {
                try db.execute(sql: "DELETE FROM pick_marks WHERE order_id = ? AND listing_id = ?", arguments: [orderID, listingID])
            }
            try Self.bumpOrders(db)
        }
    }

    /// What sold since `date`: order items (not cancelled) and confirmed counter sales, newest first.
    public func sales(since date: Date) throws -> [Sale] {
        try database.read { db in
            var sales: [Sale] = []
            let since = Int64(date.timeIntervalSince1970)
            for row in try Row.fetchAll(db, sql: """
                SELECT o.order_id, o.created_at, o.fee_value, o.fee_currency, i.listing_id, i.price_value, i.price_currency, i.description,
                       l.artist, l.title, l.posted_at,
                       (SELECT sum(price_value) FROM order_items x WHERE x.order_id = o.order_id) AS order_items_total
                FROM orders o JOIN order_items i ON i.order_id = o.order_id LEFT JOIN listings l ON l.listing_id = i.listing_id
                WHERE o.created_at >= ? AND o.status NOT LIKE 'Cancelled%'
                """, arguments: [since]) {
                let created: Int64? = row["created_at"]
                let price: Double? = row["price_value"]
                let feeTotal: Double? = row["fee_value"], itemsTotal: Double? = row["order_items_total"]
                let fee = feeTotal.flatMap { total in price.flatMap { p in itemsTotal.flatMap { $0 > 0 ? total * p / $0 : nil } } }
                let posted: Int64? = row["posted_at"]
                sales.append(Sale(channel: .discogs, soldAt: created.map { Date(timeIntervalSince1970: Double($0)) }, listingID: row["listing_id"],
                                  artist: row["artist"] ?? row["description"], title: row["title"], price: price, currency: row["price_currency"],
                                  fee: fee, stockAge: created.flatMap { c in posted.map { Double(c - $0) } }, orderID: row["order_id"], user: nil))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT a.created_at AS sold, a.user, a.listing_id, a.expected, l.artist, l.title, l.price_value, l.price_currency, l.posted_at
                FROM actions a JOIN listings l ON l.listing_id = a.listing_id
                WHERE a.kind = 'sell' AND a.state = 'confirmed' AND a.created_at >= ?
                """, arguments: [Timestamp.string(date)]) {
                let sold = Timestamp.parse(row["sold"])
                let posted: Int64? = row["posted_at"]
                sales.append(Sale(channel: .shop, soldAt: sold, listingID: row["listing_id"], artist: row["artist"], title: row["title"],
                                  price: row["price_value"], currency: row["price_currency"], fee: nil,
                                  stockAge: sold.flatMap { s in posted.map { s.timeIntervalSince1970 - Double($0) } }, orderID: nil, user: row["user"]))
            }
            return sales.sorted { ($0.soldAt ?? .distantPast) > ($1.soldAt ?? .distantPast) }
        }
    }

    /// Queues an order's status change (and the message that goes with it: a tracking number
    /// with Shipped). Refused at once when Discogs does not offer that status for the order.
    public func enqueueOrderStatus(orderID: String, status: String, message: String? = nil, user: String, now: Date = Date()) throws -> CounterAction {
        try database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, next_status FROM orders WHERE order_id = ?", arguments: [orderID]) else {
                throw ActionRefusal(.usage, "no order \(orderID) in the mirror (wax orders --sync reads them from Discogs)")
            }
            let current: String = row["status"]
            let offered = Self.decodeArray(row["next_status"])
            guard let target = offered.first(where: { $0.caseInsensitiveCompare(status) == .orderedSame }), target != current else {
                let choices = offered.filter { $0 != current }
                throw ActionRefusal(.usage, "order \(orderID) is \(current): Discogs offers \(choices.isEmpty ? "no other status" : choices.joined(separator: ", "))")
            }
            if let message, message.count > Self.maximumOrderMessageLength {
                throw ActionRefusal(.usage, "a message has at most \(Self.maximumOrderMessageLength) characters (this one has \(message.count))")
            }
            let action = try Self.insertAction(db, kind: .orderStatus, listingID: 0, orderID: orderID, user: user,
                                               expected: ListingFields(status: current), change: ListingFields(status: target),
                                               note: message.flatMap { $0.isEmpty ? nil : $0 }, undoes: nil, now: now)
            try db.execute(sql: "UPDATE orders SET status = ?, updated_at = ? WHERE order_id = ?", arguments: [target, Timestamp.string(now), orderID])
            try Self.bumpOrders(db)
            return action
        }
    }

    // MARK: Reading

    static func order(_ db: Database, id: String, withMessages: Bool) throws -> Order? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE order_id = ?", arguments: [id]) else { return nil }
        let record = OrderRecord(
            id: row["order_id"], status: row["status"], nextStatus: decodeArray(row["next_status"]), created: row["created"],
            lastActivity: row["last_activity"], buyer: row["buyer"], total: row["total_value"], totalCurrency: row["total_currency"],
            fee: row["fee_value"], feeCurrency: row["fee_currency"], shippingMethod: row["shipping_method"],
            shippingValue: row["shipping_value"], shippingCurrency: row["shipping_currency"], shippingAddress: row["shipping_address"],
            instructions: row["instructions"], archived: row["archived"] ?? false, rawJSON: nil)
        let items = try Row.fetchAll(db, sql: """
            SELECT i.*, l.artist, l.title, l.location, l.listing_id IS NOT NULL AS in_mirror, p.user AS picked_by
            FROM order_items i LEFT JOIN listings l ON l.listing_id = i.listing_id
            LEFT JOIN pick_marks p ON p.order_id = i.order_id AND p.listing_id = i.listing_id
            WHERE i.order_id = ? ORDER BY i.position
            """, arguments: [id]).map(item)
        let messages = withMessages ? try Row.fetchAll(db, sql: "SELECT * FROM order_messages WHERE order_id = ? ORDER BY position",
                                                       arguments: [id]).map { m in
            OrderMessage(type: m["type"], subject: m["subject"], message: m["message"], sentAt: m["sent_at"], from: m["from_user"])
        } : []
        var full = record
        full.items = items.map(\.record)
        return Order(record: full, items: items, messages: messages, firstSeenAt: Timestamp.parse(row["first_seen_at"]), doubleSale: row["double_sale"])
    }

    static func item(_ row: Row) -> Order.Item {
        Order.Item(record: OrderItemRecord(listingID: row["listing_id"], releaseID: row["release_id"], description: row["description"],
                                           price: row["price_value"], currency: row["price_currency"], mediaCondition: row["media_condition"],
                                           sleeveCondition: row["sleeve_condition"]),
                   artist: row["artist"], title: row["title"], location: row["location"], inMirror: row["in_mirror"] ?? false,
                   pickedBy: row["picked_by"])
    }

    static func jsonArray(_ values: [String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: values)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decodeArray(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String] ?? []
    }
}
