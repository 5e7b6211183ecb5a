import WaxJSON
import ArgumentParser
import Foundation
import WaxStore

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Counts, stock value and the last sync.")

    @Flag(help: "Print a JSON object (total_listings and last_updated as the old /api/stats).") var json = false

    func run() async throws {
        try await Failure.reporting {
            let context = try AppContext.load()
            let stats = try context.openInventory().stats()
            Console.out(json ? StatsJSON.object(stats).prettyText + "\n" : StatsJSON.text(stats))
        }
    }
}

enum StatsJSON {
    static func object(_ stats: InventoryStats) -> JSONValue {
        var object: [String: JSONValue] = [
            "total_listings": .int(Int64(stats.totalListings)),
            "last_updated": JSONValue(stats.lastUpdated.map(Timestamp.string)),
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

    static func text(_ stats: InventoryStats) -> String {
        var out = "listings       \(stats.totalListings) current, \(stats.removedListings) removed\n"
        out += "last updated   \(stats.lastUpdated.map(Timestamp.string) ?? "never")\n"
        for (currency, value) in stats.valueByCurrency.sorted(by: { $0.key < $1.key }) {
            out += "stock value    \(Money.format(value, currency: currency.isEmpty ? nil : currency))\n"
        }
        out += "releases       \(stats.releasesCached) with details, \(stats.releasesPending) to fetch\n"
        out += "by condition   " + stats.byCondition.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        out += "by format      " + stats.byFormat.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        if let run = stats.lastSync {
            out += "last sync      \(run.outcome) \(run.finishedAt.map(Timestamp.string) ?? "") +\(run.added) −\(run.removed) ~\(run.updated)"
            out += run.error.map { ": \($0)" } ?? ""
            out += "\n"
        } else {
            out += "last sync      never\n"
        }
        return out
    }
}
