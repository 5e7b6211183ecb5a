import Foundation
import GRDB

/// Discogs orders in the mirror: what a poll brings in (and the listings it takes off sale at
/// once), the orders view, the shared pick list, what sold, and status changes through the outbox.
extension InventoryService {

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
                let existing = try Row.fetchOne(db, sql: "SELECT status, last_activity FROM orders WHERE order_id = ?", arguments: [order.id])
                if let existing, existing["status"] as String? == order.status, existing["last_activity"] as String? == order.lastActivity,
                   messages[order.id] == nil {
                    continue
                }
                if existing == nil { applied.new.append(order.id) } else { applied.changed.append(order.id) }
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
                let cancelled = order.status.hasPrefix("Cancelled")
                for (position, item) in order.items.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO order_items(order_id, position, listing_id, release_id, description, price_value, price_currency,
                            media_condition, sleeve_condition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [order.id, position, item.listingID, item.releaseID, item.description, item.price, item.currency,
                                         item.mediaCondition, item.sleeveCondition])
                    guard !cancelled else { continue }
                    if let cause = try Self.doubleSaleCause(db, listingID: item.listingID) {
                        try db.execute(sql: """
                            INSERT OR IGNORE INTO double_sales(order_id, listing_id, cause, user, customer, action_id, flagged_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [order.id, item.listingID, cause.cause.rawValue, cause.user, cause.customer, cause.actionID, stamp])
                        if db.changesCount > 0, !applied.doubleSales.contains(order.id) { applied.doubleSales.append(order.id) }
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
                if cancelled {
                    // Cancelled (by staff through wax, by the buyer, by Discogs): the double sale is over.
                    let by = try String.fetchOne(db, sql: """
                        SELECT user FROM actions WHERE order_id = ? AND kind = 'order-status' AND state IN ('sent', 'confirmed') ORDER BY id DESC LIMIT 1
                        """, arguments: [order.id]) ?? "Discogs"
                    try Self.resolveDoubleSales(db, orderID: order.id, listingID: nil, how: "order \(order.status)", by: by, now: now)
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

    /// Why an order for this listing is a double sale, if it is one: the shop's latest sale or
    /// hold of it (not cancelled before it left, not undone), whatever became of its write on
    /// Discogs. A sale refused because the website sold it first is the very case the guard is
    /// for; so is a hold, refused or not.
    static func doubleSaleCause(_ db: Database, listingID: Int64) throws -> (cause: DoubleSale.Cause, user: String, customer: String?, actionID: Int64?)? {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, kind, user, note, state FROM actions
            WHERE listing_id = ? AND kind IN ('sell', 'hold', 'release') AND state != 'cancelled' ORDER BY id DESC LIMIT 20
            """, arguments: [listingID])
        for row in rows {
            let kind: String = row["kind"], state: String = row["state"]
            switch kind {
            case ActionKind.release.rawValue:
                // Back on sale (or on its way there): no double sale. A release Discogs refused
                // left the hold standing: look further back.
                if state == ActionState.conflict.rawValue || state == ActionState.failed.rawValue { continue }
                return nil
            case ActionKind.sell.rawValue:
                return (.sell, row["user"], nil, row["id"])
            default:
                return (.hold, row["user"], row["note"], row["id"])
            }
        }
        if let hold = try Row.fetchOne(db, sql: "SELECT user, note, action_id FROM holds WHERE listing_id = ?", arguments: [listingID]) {
            return (.hold, hold["user"], hold["note"], hold["action_id"])
        }
        return nil
    }

    /// Marks double sales resolved (all of an order's, or one item's), with who and how.
    static func resolveDoubleSales(_ db: Database, orderID: String, listingID: Int64?, how: String, by user: String, now: Date) throws {
        var sql = "UPDATE double_sales SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE order_id = ? AND resolved_at IS NULL"
        var arguments: [any DatabaseValueConvertible] = [Timestamp.string(now), user, how, orderID]
        if let listingID {
            sql += " AND listing_id = ?"
            arguments.append(listingID)
        }
        try db.execute(sql: sql, arguments: StatementArguments(arguments))
    }

    /// A hold that an online buyer also bought: staff give the hold up (the buyer gets the
    /// record; they tell the customer). Nothing goes to Discogs: there it is sold already.
    /// Returns the double sale it resolved.
    public func giveUpHold(listingID: Int64, user: String, now: Date = Date()) throws -> DoubleSale {
        try database.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT order_id FROM double_sales WHERE listing_id = ? AND cause = 'hold' AND resolved_at IS NULL ORDER BY flagged_at DESC LIMIT 1
                """, arguments: [listingID]) else {
                throw ActionRefusal(.state, "listing \(listingID) is not a held record an online buyer also bought")
            }
            let orderID: String = row["order_id"]
            try Self.resolveDoubleSales(db, orderID: orderID, listingID: listingID, how: "hold given up: the buyer gets it", by: user, now: now)
            try Self.bumpOrders(db)
            return try Self.doubleSales(db, orderID: orderID).first { $0.listingID == listingID }!
        }
    }

    /// The double sale of this listing that staff have not resolved, if any.
    public func unresolvedDoubleSale(listingID: Int64) throws -> DoubleSale? {
        try database.read { db in
            try Self.doubleSales(db, where: "d.listing_id = ? AND d.resolved_at IS NULL", [listingID]).first
        }
    }

    /// Every double sale staff have not resolved yet, oldest first: what every browser keeps
    /// saying until someone acts.
    public func unresolvedDoubleSales() throws -> [DoubleSale] {
        try database.read { db in try Self.doubleSales(db, where: "d.resolved_at IS NULL", []) }
    }

    static func doubleSales(_ db: Database, orderID: String) throws -> [DoubleSale] {
        try doubleSales(db, where: "d.order_id = ?", [orderID])
    }

    private static func doubleSales(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible]) throws -> [DoubleSale] {
        try Row.fetchAll(db, sql: "SELECT d.* FROM double_sales d WHERE \(condition) ORDER BY d.flagged_at, d.order_id, d.listing_id",
                         arguments: StatementArguments(arguments)).map { row in
            let resolvedBy: String? = row["resolved_by"]
            return DoubleSale(orderID: row["order_id"], listingID: row["listing_id"], cause: DoubleSale.Cause(rawValue: row["cause"]) ?? .sell,
                              user: row["user"], customer: row["customer"], flaggedAt: Timestamp.parse(row["flagged_at"]),
                              resolution: resolvedBy.map { DoubleSale.Resolution(at: Timestamp.parse(row["resolved_at"]), by: $0, how: row["resolution"] ?? "resolved") })
        }
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
            }.map { pick in
                var pick = pick
                pick.doubleSale = try Self.doubleSales(db, where: "d.order_id = ? AND d.listing_id = ? AND d.resolved_at IS NULL",
                                                       [pick.orderID, pick.item.record.listingID]).first
                return pick
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
                  -- A sale undone (its release on its way or confirmed) did not happen.
                  AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undoes = a.id AND u.state NOT IN ('failed', 'conflict', 'cancelled'))
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
            if let message, let problem = FieldRules.orderMessage(message) { throw ActionRefusal(.usage, problem) }
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
        return Order(record: full, items: items, messages: messages, firstSeenAt: Timestamp.parse(row["first_seen_at"]),
                     doubleSales: try doubleSales(db, orderID: id))
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
