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
