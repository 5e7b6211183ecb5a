import Foundation
import WaxStore
import WaxText
import WaxUI

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
        let r = listing.record
        let release = listing.release
        var lines: [(String, String?)] = [
            ("Listing", String(r.listingID)),
            ("Status", listing.isRemoved ? "\(r.status) — removed \(listing.removedAt.map(LocalTime.system.minuteWithZone) ?? "") (\(listing.removedReason ?? "?"))" : r.status),
            ("Artist", r.artist), ("Title", r.title), ("Label", r.label), ("Catalog #", r.catalogNumber),
            ("Format", r.format), ("Year", r.year.map(String.init)),
            ("Genres", listing.genres.isEmpty ? nil : listing.genres.joined(separator: ", ")),
            ("Styles", listing.styles.isEmpty ? nil : listing.styles.joined(separator: ", ")),
            ("Country", release?.country),
            ("Condition", r.condition), ("Sleeve", r.sleeveCondition),
            ("Price", r.priceValue.map { Money.format($0, currency: r.priceCurrency) }),
            ("Shipping", r.shippingPrice.map { Money.format($0, currency: r.shippingCurrency) }),
            ("Offers", r.allowOffers.map { $0 ? "accepted" : "no" }),
            ("Posted", r.postedAt.map(LocalTime.system.minuteWithZone) ?? r.posted), ("Location", r.location), ("External ID", r.externalID),
            ("Weight", r.weight.map { "\(Int($0)) g" }), ("Quantity", r.quantity.map(String.init)),
            ("Have / want", (r.communityHave ?? release?.communityHave).map { "\($0) / \(r.communityWant ?? release?.communityWant ?? 0)" }),
            ("Discogs", listing.discogsURL),
        ]
        if let comments = r.comments { lines.append(("Comments", comments)) }
        let width = (Console.terminalWidth ?? 100) - 14
        var out = ""
        for (name, value) in lines {
            guard let value, !value.isEmpty else { continue }
            for (index, line) in DisplayWidth.wrap(value, to: max(20, width)).enumerated() {
                out += (index == 0 ? DisplayWidth.fit(name, to: 12) : String(repeating: " ", count: 12)) + "  " + line + "\n"
            }
        }
        return out
    }
}
