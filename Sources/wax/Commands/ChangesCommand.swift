import ArgumentParser
import Foundation
import WaxJSON
import WaxPresentation
import WaxStore
import WaxText
import WaxUI

/// `wax changes`: what syncs added, repriced and removed, as the browser's `c` shows it. Sold
/// since yesterday, with bins, is the morning's pull list: `wax changes --since 1d --kind
/// removed --csv`.
struct ChangesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "What syncs added, repriced and removed (with each listing's bin): a table, JSON or CSV."
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable { case added, updated, removed }

    @Option(help: "Since when: 90m, 24h, 7d, 2w or a day such as 2026-11-01 (default 24h).") var since = "24h"
    @Option(help: "Only added, updated or removed.") var kind: Kind?
    @Flag(help: "Print a JSON array.") var json = false
    @Flag(help: "Print CSV (a pull list to print).") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
    }

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            let from = try SinceOption(parsing: since).date
            let changes = try context.openInventory().reports.changes(since: from, limit: 100_000)
                .filter { kind == nil || $0.kind.rawValue == kind!.rawValue }
            if json {
                Console.out(JSONValue.array(changes.map(Self.object)).prettyText + "\n")
            } else if csv {
                var out = CSVReader.line(["changed_at", "change", "field", "listing_id", "artist", "title", "location", "old_value", "new_value", "user"])
                for c in changes {
                    out += CSVReader.line([c.changedAt.map(Timestamp.string) ?? "", c.kind.rawValue, c.field ?? "", String(c.listingID),
                                           c.artist ?? "", c.title ?? "", c.location ?? "", c.oldValue ?? "", c.newValue ?? "", c.user ?? ""])
                }
                Console.out(out)
            } else {
                var table = TextTable(columns: [.init("When", minimum: 16), .init("What", minimum: 6), .init("Bin", minimum: 3),
                                                .init("Artist – Title", minimum: 12), .init("Change", minimum: 6)])
                for c in changes {
                    table.rows.append([c.changedAt.map(LocalTime.system.minute) ?? "", ChangeText.what(c), c.location ?? "",
                                       ListingFormat.name(artist: c.artist, title: c.title), ChangeText.detail(c) ?? ""])
                }
                Console.out(table.render(maxWidth: Console.terminalWidth) + "\(changes.count) changes since \(LocalTime.system.minuteWithZone(from))\n")
            }
        }
    }

    static func object(_ c: ListingChange) -> JSONValue {
        .object(["changed_at": JSONValue(c.changedAt.map(Timestamp.string)), "change": .string(c.kind.rawValue), "field": JSONValue(c.field),
                 "listing_id": .string(String(c.listingID)), "artist": JSONValue(c.artist), "title": JSONValue(c.title),
                 "location": JSONValue(c.location), "old_value": JSONValue(c.oldValue), "new_value": JSONValue(c.newValue),
                 "user": JSONValue(c.user), "action": JSONValue(c.actionKind?.rawValue)])
    }
}
