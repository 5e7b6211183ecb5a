import Foundation
import WaxConfig
import WaxJSON

/// `wax stats --json` and `wax serve`'s `/api/stats`: the old `/api/stats` keys
/// (`total_listings`, `last_updated`) and what wax adds (stock value, counts, the last sync).
public enum StatsJSON {
    public static func object(_ stats: InventoryStats) -> JSONValue {
        var object: [String: JSONValue] = [
            "total_listings": .int(Int64(stats.totalListings)),
            "last_updated": JSONValue(stats.lastUpdated.map(LegacyTimestamp.string)),
            "removed_listings": .int(Int64(stats.removedListings)),
            "value_by_currency": .object(stats.valueByCurrency.mapValues { .double($0) }),
            "by_condition": .object(stats.byCondition.mapValues { .int(Int64($0)) }),
            "by_format": .object(stats.byFormat.mapValues { .int(Int64($0)) }),
            "releases_cached": .int(Int64(stats.releasesCached)),
            "releases_pending": .int(Int64(stats.releasesPending)),
            "last_sync": .null,
        ]
        if let run = stats.lastSync {
            object["last_sync"] = .object([
                "id": .int(run.id), "trigger": .string(run.trigger), "outcome": .string(run.outcome),
                "started_at": JSONValue(run.startedAt.map(Timestamp.string)),
                "finished_at": JSONValue(run.finishedAt.map(Timestamp.string)),
                "added": JSONValue(run.added), "updated": JSONValue(run.updated), "removed": JSONValue(run.removed),
                "unchanged": JSONValue(run.unchanged), "total": JSONValue(run.total), "requests": JSONValue(run.requests),
                "error": JSONValue(run.error),
            ])
        }
        return .object(object)
    }
}
