import ArgumentParser
import Foundation
import WaxJSON
import WaxPresentation
import WaxStore
import WaxText

/// `wax sales`: what sold, on Discogs and at the counter, with totals and fees per currency.
struct SalesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sales",
        abstract: "What sold (Discogs orders and counter sales): totals and Discogs fees per currency, and how long each record waited."
    )

    @Option(help: "Since when: 90m, 24h, 7d, 2w or a day such as 2026-11-01 (default 7d).") var since = "7d"
    @Flag(help: "Print a JSON object.") var json = false
    @Flag(help: "Print CSV, one sale a line.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
    }

    func run() async throws {
        try Failure.reporting {
            let from = try SinceOption(parsing: since).date
            let sales = try AppContext.load().openInventory().reports.sales(since: from)
            let totals = Self.totals(sales)
            if json {
                Console.out(JSONValue.object([
                    "since": .string(Timestamp.string(from)),
                    "totals": .array(totals.map { t in
                        .object(["currency": .string(t.currency), "discogs": .double(t.discogs), "shop": .double(t.shop), "fees": .double(t.fees),
                                 "count": .int(Int64(t.count))])
                    }),
                    "sales": .array(sales.map(Self.object)),
                ]).prettyText + "\n")
            } else if csv {
                var out = CSVReader.line(["sold_at", "channel", "listing_id", "artist", "title", "price", "currency", "fee", "stock_age_days", "order_id", "user"])
                for s in sales {
                    out += CSVReader.line([s.soldAt.map(Timestamp.string) ?? "", s.channel.rawValue, String(s.listingID), s.artist ?? "", s.title ?? "",
                                           s.price.map { String(format: "%.2f", $0) } ?? "", s.currency ?? "", s.fee.map { String(format: "%.2f", $0) } ?? "",
                                           s.stockAge.map { String(Int($0 / 86_400)) } ?? "", s.orderID ?? "", s.user ?? ""])
                }
                Console.out(out)
            } else {
                var table = TextTable(columns: [.init("When", minimum: 16), .init("Where", minimum: 7), .init("Artist – Title", minimum: 14),
                                                .init("Price", minimum: 8), .init("Fee", minimum: 6), .init("Waited", minimum: 6), .init("By", minimum: 5)])
                for s in sales {
                    table.rows.append([s.soldAt.map(LocalTime.system.minute) ?? "", s.channel == .discogs ? "Discogs" : "shop",
                                       ListingFormat.name(artist: s.artist, title: s.title), s.price.map { Money.format($0, currency: s.currency) } ?? "",
                                       s.fee.map { String(format: "%.2f", $0) } ?? "", s.stockAge.map { "\(Int($0 / 86_400))d" } ?? "",
                                       s.user ?? s.orderID ?? ""])
                }
                var out = table.render(maxWidth: Console.terminalWidth)
                for t in totals {
                    out += String(format: "%@: %d sold, %.2f on Discogs (fees %.2f), %.2f in the shop\n", t.currency, t.count, t.discogs, t.fees, t.shop)
                }
                Console.out(out + "\(sales.count) sales since \(LocalTime.system.minuteWithZone(from))\n")
            }
        }
    }

    struct Total {
        var currency: String
        var discogs = 0.0, shop = 0.0, fees = 0.0
        var count = 0
    }

    static func totals(_ sales: [Sale]) -> [Total] {
        var byCurrency: [String: Total] = [:]
        for s in sales {
            let currency = s.currency ?? "?"
            var t = byCurrency[currency] ?? Total(currency: currency)
            t.count += 1
            if s.channel == .discogs { t.discogs += s.price ?? 0 } else { t.shop += s.price ?? 0 }
            t.fees += s.fee ?? 0
            byCurrency[currency] = t
        }
        return byCurrency.values.sorted { $0.currency < $1.currency }
    }

    static func object(_ s: Sale) -> JSONValue {
        .object(["sold_at": JSONValue(s.soldAt.map(Timestamp.string)), "channel": .string(s.channel.rawValue), "listing_id": .string(String(s.listingID)),
                 "artist": JSONValue(s.artist), "title": JSONValue(s.title), "price": JSONValue(s.price), "currency": JSONValue(s.currency),
                 "fee": JSONValue(s.fee), "stock_age_days": JSONValue(s.stockAge.map { Int($0 / 86_400) }), "order_id": JSONValue(s.orderID),
                 "user": JSONValue(s.user)])
    }
}
