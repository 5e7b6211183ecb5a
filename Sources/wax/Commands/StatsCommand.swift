import WaxJSON
import ArgumentParser
import Foundation
import WaxStore
import WaxText

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Counts, stock value and the last sync.")

    @Flag(help: "Print a JSON object (total_listings and last_updated as the old /api/stats).") var json = false

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            let stats = try context.openInventory().reports.stats()
            Console.out(json ? StatsJSON.object(stats).prettyText + "\n" : StatsText.text(stats))
        }
    }
}

/// `wax stats` on a terminal.
enum StatsText {
    static func text(_ stats: InventoryStats) -> String {
        var out = "listings       \(stats.totalListings) current, \(stats.removedListings) removed\n"
        out += "last updated   \(stats.lastUpdated.map(LocalTime.system.minuteWithZone) ?? "never")\n"
        for (currency, value) in stats.valueByCurrency.sorted(by: { $0.key < $1.key }) {
            out += "stock value    \(Money.format(value, currency: currency.isEmpty ? nil : currency))\n"
        }
        out += "releases       \(stats.releasesCached) with details, \(stats.releasesPending) to fetch\n"
        out += "by condition   " + stats.byCondition.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        out += "by format      " + stats.byFormat.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        if let run = stats.lastSync {
            out += "last sync      \(run.outcome) \(run.finishedAt.map(LocalTime.system.minuteWithZone) ?? "") +\(run.added) −\(run.removed) ~\(run.updated)"
            out += run.error.map { ": \($0)" } ?? ""
            out += "\n"
        } else {
            out += "last sync      never\n"
        }
        return out
    }
}
