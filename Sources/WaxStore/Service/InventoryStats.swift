import Foundation
import GRDB

/// The shop at a glance: `wax stats`, `/api/stats` and the UI's header.
public struct InventoryStats: Sendable, Equatable {
    /// Current listings (the old `/api/stats` key `total_listings`).
    public var totalListings: Int
    /// The latest change to any listing (the old key `last_updated`).
    public var lastUpdated: Date?
    public var removedListings: Int
    /// Sum of price × quantity of current listings, per currency.
    public var valueByCurrency: [String: Double]
    /// Current listings per media condition and per primary format (`LP`, `12"`, `CD`…).
    public var byCondition: [String: Int]
    public var byFormat: [String: Int]
    public var releasesCached: Int
    public var releasesPending: Int
    public var lastSync: SyncRunSummary?
}

/// One row of `sync_runs`.
public struct SyncRunSummary: Sendable, Equatable {
    public var id: Int64
    public var trigger: String
    public var startedAt: Date?
    public var finishedAt: Date?
    public var outcome: String
    public var added: Int
    public var updated: Int
    public var removed: Int
    public var unchanged: Int
    public var total: Int
    public var requests: Int
    public var unreachable: Int
    public var error: String?

    init(row: Row) {
        id = row["id"]
        trigger = row["trigger"]
        startedAt = Timestamp.parse(row["started_at"])
        finishedAt = Timestamp.parse(row["finished_at"])
        outcome = row["outcome"]
        added = row["added"]
        updated = row["updated"]
        removed = row["removed"]
        unchanged = row["unchanged"]
        total = row["total"]
        requests = row["requests"]
        unreachable = row["unreachable"]
        error = row["error"]
    }
}

extension InventoryService {
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
}
