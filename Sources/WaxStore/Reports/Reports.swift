import Foundation
import GRDB

/// What the shop did, read back: the stats, the syncs, the changes, what sold. Reads only.
public struct Reports: Sendable {
    let database: MirrorDatabase

    public func stats() throws -> InventoryStats {
        try database.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM listings WHERE removed_at IS NULL") ?? 0
            let removed = try Int.fetchOne(db, sql: "SELECT count(*) FROM listings WHERE removed_at IS NOT NULL") ?? 0
            let lastUpdated = try String.fetchOne(db, sql: "SELECT max(updated_at) FROM listings")
            var value: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT coalesce(price_currency, ''), sum(price_value * coalesce(quantity, 1)) FROM listings
                WHERE removed_at IS NULL AND price_value IS NOT NULL GROUP BY 1
                """) {
                value[row[0]] = ((row[1] as Double) * 100).rounded() / 100
            }
            var conditions: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT coalesce(condition, 'unknown'), count(*) FROM listings WHERE removed_at IS NULL GROUP BY 1") {
                conditions[row[0]] = row[1]
            }
            var formats: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT coalesce(nullif(trim(substr(format, 1, instr(format || ',', ',') - 1)), ''), 'unknown'), count(*)
                FROM listings WHERE removed_at IS NULL GROUP BY 1
                """) {
                formats[row[0]] = row[1]
            }
            let cached = try Int.fetchOne(db, sql: "SELECT count(*) FROM releases WHERE fetched_at IS NOT NULL") ?? 0
            let pending = try Int.fetchOne(db, sql: """
                SELECT count(DISTINCT l.release_id) FROM listings l LEFT JOIN releases r ON r.release_id = l.release_id
                WHERE l.removed_at IS NULL AND l.release_id IS NOT NULL AND r.fetched_at IS NULL
                """) ?? 0
            let lastSync = try Row.fetchOne(db, sql: "SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1").map(SyncRunSummary.init(row:))
            return InventoryStats(totalListings: total, lastUpdated: Timestamp.parse(lastUpdated), removedListings: removed,
                                  valueByCurrency: value, byCondition: conditions, byFormat: formats,
                                  releasesCached: cached, releasesPending: pending, lastSync: lastSync)
        }
    }

    /// Sync runs, newest first.
    public func syncRuns(limit: Int = 20) throws -> [SyncRunSummary] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?", arguments: [limit]).map(SyncRunSummary.init(row:))
        }
    }

/// Changes recorded at or after `since`, newest first.
    public func changes(since: Date, limit: Int = 1_000) throws -> [ListingChange] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.*, l.artist, l.title, l.location, a.kind AS action_kind, a.undoes IS NOT NULL AS is_undo
                FROM listing_changes c LEFT JOIN listings l ON l.listing_id = c.listing_id LEFT JOIN actions a ON a.id = c.action_id
                WHERE c.changed_at >= ? ORDER BY c.changed_at DESC, c.id DESC LIMIT ?
                """, arguments: [Timestamp.string(since), limit]).map { row in
                ListingChange(id: row["id"], syncRunID: row["sync_run_id"], listingID: row["listing_id"],
                              kind: ListingChange.Kind(rawValue: row["change"]) ?? .updated, field: row["field"],
                              oldValue: row["old_value"], newValue: row["new_value"],
                              changedAt: Timestamp.parse(row["changed_at"]), artist: row["artist"], title: row["title"],
                              location: row["location"], user: row["user"],
                              actionKind: (row["action_kind"] as String?).flatMap(ActionKind.init(rawValue:)), isUndo: row["is_undo"] ?? false)
            }
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
                WHERE o.created_at >= ? AND NOT \(OrderStatus.cancelledSQL("o.status"))
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
                WHERE a.kind IN (\(ActionKind.saleKindsSQL)) AND a.state = 'confirmed' AND a.created_at >= ?
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
}
