import Foundation
import WaxStore
import WaxText
import WaxPresentation

/// How the CLI prints listings for people (tables and `wax show`).
enum ListingText {
    static func table(_ listings: [Listing], total: Int) -> String {
        var table = TextTable(columns: [
            .init("ID", minimum: 10), .init("Artist", minimum: 8), .init("Title", minimum: 8), .init("Format", minimum: 6),
            .init("Cond", minimum: 6), .init("Price", alignRight: true, minimum: 8), .init("Posted", minimum: 10),
            .init("Location", minimum: 6),
        ])
        for listing in listings {
            let r = listing.record
            let condition = ListingFormat.conditions(listing)
            table.rows.append([
                String(r.listingID), r.artist ?? "", r.title ?? "", r.format ?? "", condition,
                r.priceValue.map { Money.format($0, currency: r.priceCurrency) } ?? "",
                r.postedAt.map(LocalTime.system.day) ?? "", r.location ?? "",
            ])
        }
        return table.render(maxWidth: Console.terminalWidth) + "showing \(listings.count) of \(total)\n"
    }

    static func detail(_ listing: Listing) -> String {
        var lines = ListingFacts.of(listing, time: .system).map { ($0.label, $0.value) }
        if let comments = listing.record.comments, !comments.isEmpty { lines.append(("Comments", comments)) }
        let width = (Console.terminalWidth ?? 100) - 14
        var out = ""
        for (name, value) in lines {
            for (index, line) in DisplayWidth.wrap(value, to: max(20, width)).enumerated() {
                out += (index == 0 ? DisplayWidth.fit(name, to: 12) : String(repeating: " ", count: 12)) + "  " + line + "\n"
            }
        }
        return out
    }
}
