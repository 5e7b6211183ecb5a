import Foundation
import WaxStore
import WaxText

/// How a reprice run reads, in the browser's preview and `wax reprice` alike.
public enum RepriceText {
    /// `60 listings change: 12 up, 48 down; stock value 1,234.50 → 1,049.33 USD (−185.17)`.
    public static func totals(_ plan: RepricePlan) -> String {
        let currency = plan.currency.map { " \($0)" } ?? ""
        let difference = plan.valueAfter - plan.valueBefore
        var text = "\(plan.items.count) listing\(plan.items.count == 1 ? "" : "s") change: \(plan.up) up, \(plan.down) down; their value "
            + String(format: "%.2f → %.2f%@ (%@%.2f)", plan.valueBefore, plan.valueAfter, currency, difference < 0 ? "−" : "+", abs(difference))
        var left: [String] = []
        if plan.unchanged > 0 { left.append("\(plan.unchanged) unchanged") }
        if plan.otherCurrency > 0 { left.append("\(plan.otherCurrency) priced in another currency than the shop's\(plan.currency.map { " \($0)" } ?? "") (left out)") }
        if plan.noData > 0 { left.append("\(plan.noData) without Discogs data for the rule (left out)") }
        if !left.isEmpty { text += "; " + left.joined(separator: ", ") }
        return text
    }

    /// How it will be sent, and what that costs.
    public static func sending(_ plan: RepricePlan, threshold: Int) -> String {
        plan.items.count > threshold
            ? "sent as one Discogs change job (a few requests for all \(plan.items.count), checked against Discogs before and verified after)"
            : "sent as \(plan.items.count) price edit\(plan.items.count == 1 ? "" : "s") through the outbox (each read before it is written)"
    }

    /// One row of the preview: `12.50 → 10.99 USD  −15%  Björk – Post  (bin B12)`.
    public static func row(_ item: RepriceItem) -> (listing: String, change: String, reason: String, record: String, bin: String) {
        let change = String(format: "%.2f → %.2f", item.oldPrice, item.newPrice) + (item.currency.map { " \($0)" } ?? "")
        return (String(item.listingID), change, item.reason, ListingFormat.name(artist: item.artist, title: item.title), item.location ?? "")
    }

    /// `run 7 by bob, 2026-12-03 12:40: −15% over genre: reggae — 58 confirmed, 1 failed, 1 conflict`.
    public static func run(_ run: RepriceRun, time: LocalTime = .system) -> String {
        let states = RepriceItem.State.allCases.compactMap { state in run.counts[state].map { "\($0) \(state.rawValue)" } }
        return "run \(run.id) by \(run.user), \(time.minute(run.createdAt)): \(run.rule) over \(run.selection)"
            + (run.undoes.map { " (undoes run \($0))" } ?? "") + " — " + states.joined(separator: ", ")
            + (run.method == .job ? " (one job\(run.jobStatus.map { ": \($0)" } ?? ""))" : "")
    }
}
