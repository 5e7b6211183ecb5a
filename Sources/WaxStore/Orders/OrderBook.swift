import Foundation
import GRDB

/// Discogs orders in the mirror: what a poll brings in (and the listings it takes off sale at
/// once), the orders view, the shared pick list, double sales, and status changes through the
/// outbox.
public struct OrderBook: Sendable {
    let database: MirrorDatabase

    /// Orders stored before their messages were read, most recently active first: a poll reads
    /// theirs after the changed orders'.
    public func ordersAwaitingMessages(limit: Int) throws -> [String] {
        try database.read { db in
            try OrderRow.filter(OrderRow.Columns.messagesPending).order(Column("last_activity_at").desc)
                .limit(limit).fetchAll(db).map(\.orderId)
        }
    }

    /// `last_activity` of the stored orders among `ids`: a poll stops at the first order it
    /// already has unchanged.
    public func storedOrderActivity(ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try database.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT order_id, status, last_activity FROM orders WHERE order_id IN (SELECT value FROM json_each(?))
                """, arguments: [OrderRow.jsonArray(ids)]) {
                result[row["order_id"]] = "\(row["status"] as String? ?? "")|\(row["last_activity"] as String? ?? "")"
            }
            return result
        }
    }

    /// The fingerprint `storedOrderActivity` compares.
    public static func activityKey(_ order: OrderRecord) -> String { "\(order.status)|\(order.lastActivity ?? "")" }

    /// Stores what a poll read, in one transaction: every order, and the messages of those in
    /// `messages` (the others are read at a later poll). A listing an order bought leaves the current
    /// listings at once (reason `sold on Discogs, order …`); an order buying what wax had taken off
    /// sale (sold in the shop, held, a sale on its way) is marked a double sale.
    public func applyOrders(_ orders: [OrderRecord], messages: [String: [OrderMessage]] = [:], now: Date = Date()) throws -> OrdersApplied {
        guard !orders.isEmpty || !messages.isEmpty else { return OrdersApplied() }
        return try database.write(changing: [.listings, .orders, .holds]) { db in
            var applied = OrdersApplied()
            let stamp = Timestamp.string(now)
            let writer = try ListingWriter(db, now: now)
            for order in orders {
                let existing = try Row.fetchOne(db, sql: "SELECT status, last_activity FROM orders WHERE order_id = ?", arguments: [order.id])
                if let existing, existing["status"] as OrderStatus? == order.status, existing["last_activity"] as String? == order.lastActivity,
                   messages[order.id] == nil {
                    continue
                }
                if existing == nil { applied.new.append(order.id) } else { applied.changed.append(order.id) }
                // A status change on its way to Discogs wins over what Discogs said a moment ago.
                var order = order
                if let pending = try Actions.fetch(db, where: "a.order_id = ? AND a.state IN (\(ActionState.openSQL))", [order.id], limit: 1).first,
                   let status = pending.change.orderStatus {
                    order.status = status
                }
                try OrderRow(order, messagesPending: messages[order.id] == nil, at: stamp).save(db)
                _ = try OrderItemRow.filter(OrderItemRow.Columns.orderID == order.id).deleteAll(db)
                let cancelled = order.status.isCancelled
                for (position, item) in order.items.enumerated() {
                    try OrderItemRow(item, of: order.id, at: position).insert(db)
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
                        let reason = RemovalReason.soldOnDiscogs(order: order.id)
                        try writer.markRemoved(item.listingID, reason: reason)
                        _ = try HoldRow.deleteOne(db, key: item.listingID)
                        try db.execute(sql: """
                            INSERT INTO listing_changes(listing_id, change, field, changed_at) VALUES (?, 'removed', ?, ?)
                            """, arguments: [item.listingID, reason.text, stamp])
                        applied.listingsSold += 1
                    }
                }
                if cancelled {
                    // Cancelled (by staff through wax, by the buyer, by Discogs): the double sale is over.
                    let by = try String.fetchOne(db, sql: """
                        SELECT user FROM actions WHERE order_id = ? AND kind = 'order-status' AND state IN ('sent', 'confirmed') ORDER BY id DESC LIMIT 1
                        """, arguments: [order.id]) ?? "Discogs"
                    try Self.resolveDoubleSales(db, orderID: order.id, listingID: nil, how: "order \(order.status.rawValue)", by: by, now: now)
                }
            }
            for (orderID, list) in messages {
                _ = try OrderMessageRow.filter(OrderMessageRow.Columns.orderID == orderID).deleteAll(db)
                for (position, message) in list.enumerated() { try OrderMessageRow(message, of: orderID, at: position).insert(db) }
                try OrderRow.filter(key: orderID).updateAll(db, OrderRow.Columns.messagesPending.set(to: false))
            }
            return applied
        }
    }

    /// Why an order for this listing is a double sale, if it is one: the shop's latest sale or
    /// hold of it (not cancelled before it left, not undone), whatever became of its write on
    /// Discogs. A sale refused because the website sold it first is the very case the guard is
    /// for; so is a hold, refused or not.
    static func doubleSaleCause(_ db: Database, listingID: Int64) throws -> (cause: DoubleSale.Cause, user: String, customer: String?, actionID: Int64?)? {
        let kinds = ActionKind.allCases.filter { $0.spec.takesOffSale || $0.spec.effect == .releases }
        for action in try Actions.fetch(db, where: "a.listing_id = ? AND a.kind IN (\(ActionKind.sqlList(kinds))) AND a.state != 'cancelled'",
                                        [listingID], limit: 20) {
            switch action.kind.spec.effect {
            case .releases:
                // Back on sale (or on its way there): no double sale. A release Discogs refused
                // left the hold standing: look further back.
                if action.state.isRefused { continue }
                return nil
            case .leavesList:
                return (.sell, action.user, nil, action.id)
            case .holds, .setsFields, .creates, .none:
                return (.hold, action.user, action.note, action.id)
            }
        }
        if let hold = try HoldRow.fetchOne(db, key: listingID) {
            return (.hold, hold.user, hold.note, hold.actionId)
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
        try database.write(changing: .orders) { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT order_id FROM double_sales WHERE listing_id = ? AND cause = 'hold' AND resolved_at IS NULL ORDER BY flagged_at DESC LIMIT 1
                """, arguments: [listingID]) else {
                throw ActionRefusal(.notDoubleSoldHold(listing: listingID))
            }
            let orderID: String = row["order_id"]
            try Self.resolveDoubleSales(db, orderID: orderID, listingID: listingID, how: "hold given up: the buyer gets it", by: user, now: now)
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

    /// Orders, open ones first (newest activity first within each), optionally of one status.
    public func orders(openOnly: Bool = false, status: String? = nil, limit: Int = 500) throws -> [Order] {
        try database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if openOnly { conditions.append(OrderStatus.openSQL("o.status")) }
            if let status {
                conditions.append("o.status = ? COLLATE NOCASE")
                arguments.append(status)
            }
            let ids = try String.fetchAll(db, sql: """
                SELECT o.order_id FROM orders o \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                ORDER BY \(OrderStatus.openSQL("o.status")) DESC, o.last_activity_at DESC, o.order_id DESC LIMIT \(limit)
                """, arguments: StatementArguments(arguments))
            return try ids.compactMap { try Self.order(db, id: $0, withMessages: false) }
        }
    }

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
                WHERE \(OrderStatus.toPickSQL("o.status"))
                ORDER BY l.location_key IS NULL, l.location_key, o.order_id, i.position
                """).map { row in
                PickItem(orderID: row["order_id"], buyer: row["buyer"], item: Self.item(row), status: OrderStatus(rawValue: row["status"]))
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
        try database.write(changing: .orders) { db in
            if picked {
                try db.execute(sql: "INSERT OR REPLACE INTO pick_marks(order_id, listing_id, user, picked_at) VALUES (?, ?, ?, ?)",
                               arguments: [orderID, listingID, user, Timestamp.string(now)])
            } else {
                try db.execute(sql: "DELETE FROM pick_marks WHERE order_id = ? AND listing_id = ?", arguments: [orderID, listingID])
            }
        }
    }

    /// Queues an order's status change (and the message that goes with it: a tracking number
    /// with Shipped). Refused at once when Discogs does not offer that status for the order.
    public func enqueueStatus(orderID: String, status: OrderStatus, message: String? = nil, user: String, now: Date = Date()) throws -> CounterAction {
        try database.write(changing: [.orders, .outbox]) { db in
            guard var row = try OrderRow.fetchOne(db, key: orderID) else {
                throw ActionRefusal(.noOrder(orderID))
            }
            let current = row.record.status
            let offered = row.record.nextStatus
            // Typed at a shell, so any case: "shipped".
            guard let target = offered.first(where: { $0.rawValue.caseInsensitiveCompare(status.rawValue) == .orderedSame }), target != current else {
                throw ActionRefusal(.orderStatusNotOffered(order: orderID, current: current, offered: offered.filter { $0 != current }))
            }
            if let message, let problem = FieldRules.orderMessage(message) { throw ActionRefusal(.invalid(problem)) }
            let action = try Actions.insert(db, CounterAction(id: 0, kind: .orderStatus, target: .order(orderID), user: user, createdAt: now,
                                                              expected: ListingFields(orderStatus: current),
                                                              change: ListingFields(orderStatus: target),
                                                              note: message.flatMap { $0.isEmpty ? nil : $0 }))
            row.status = target.rawValue
            row.updatedAt = Timestamp.string(now)
            try row.update(db)
            return action
        }
    }

    // MARK: Reading

    static func order(_ db: Database, id: String, withMessages: Bool) throws -> Order? {
        guard let row = try OrderRow.fetchOne(db, key: id) else { return nil }
        let record = row.record
        let items = try Row.fetchAll(db, sql: """
            SELECT i.*, l.artist, l.title, l.location, l.listing_id IS NOT NULL AS in_mirror, p.user AS picked_by
            FROM order_items i LEFT JOIN listings l ON l.listing_id = i.listing_id
            LEFT JOIN pick_marks p ON p.order_id = i.order_id AND p.listing_id = i.listing_id
            WHERE i.order_id = ? ORDER BY i.position
            """, arguments: [id]).map(item)
        let messages = withMessages
            ? try OrderMessageRow.filter(OrderMessageRow.Columns.orderID == id).order(OrderMessageRow.Columns.position).fetchAll(db).map(\.orderMessage)
            : []
        var full = record
        full.items = items.map(\.record)
        return Order(record: full, items: items, messages: messages, firstSeenAt: Timestamp.parse(row.firstSeenAt),
                     doubleSales: try doubleSales(db, orderID: id))
    }

    static func item(_ row: Row) -> Order.Item {
        Order.Item(record: OrderItemRecord(listingID: row["listing_id"], releaseID: row["release_id"], description: row["description"],
                                           price: row["price_value"], currency: row["price_currency"], mediaCondition: row["media_condition"],
                                           sleeveCondition: row["sleeve_condition"]),
                   artist: row["artist"], title: row["title"], location: row["location"], inMirror: row["in_mirror"] ?? false,
                   pickedBy: row["picked_by"])
    }
}
