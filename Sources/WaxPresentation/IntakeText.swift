import Foundation
import WaxConfig
import WaxStore
import WaxText

/// How intake reads, in the browser's form and `wax add` alike: a candidate pressing, the
/// shop's stock of it, the advice beside the price, and the short guide to each grade.
public enum IntakeText {
    /// `Joy Division – Unknown Pleasures · Factory FACT 10 · LP, Album · UK 1979`.
    public static func candidate(_ release: ReleaseCandidate) -> String {
        var parts = [ListingFormat.name(artist: release.artist, title: release.title)]
        let catalogNumber = release.catalogNumber.flatMap { $0.lowercased() == "none" ? nil : $0 }
        let label = [release.labels.first, catalogNumber].compactMap { $0 }.joined(separator: " ")
        if !label.isEmpty { parts.append(label) }
        if !release.formatText.isEmpty { parts.append(release.formatText) }
        let place = [release.country, release.year.map(String.init)].compactMap { $0 }.joined(separator: " ")
        if !place.isEmpty { parts.append(place) }
        return parts.joined(separator: " · ")
    }

    /// "2 in stock, bins A3, B12", "1 in stock (no bin)", "none in stock".
    public static func stock(_ stock: ReleaseStock) -> String {
        guard stock.count > 0 else { return "none in stock" }
        return "\(stock.count) in stock" + (stock.bins.isEmpty ? " (no bin)" : ", bin\(stock.bins.count == 1 ? "" : "s") \(stock.bins.joined(separator: ", "))")
    }

    /// The lines beside the price field: Discogs' suggestion for `grade` (and the shop's
    /// rounding of it), the market, the shop's last sale.
    public static func advice(_ advice: PriceAdvice, grade: ConditionGrade, rounding: PriceRounding, time: LocalTime = .system) -> [String] {
        var lines: [String] = []
        switch advice.suggestions {
        case .suggested(let prices):
            if let price = prices[grade], let rounded = advice.suggested(for: grade, rounding: rounding) {
                lines.append("suggested for \(grade.code): \(rounded)" + (rounded.value == price.value ? "" : " (Discogs: \(price))"))
            } else {
                lines.append("no suggestion for \(grade.code)")
            }
        case .none:
            lines.append("Discogs has no price suggestion for this release")
        case .sellerSettingsIncomplete(let message):
            lines.append("no suggestion: Discogs wants the seller settings completed first (\(message))")
        }
        if let market = advice.market, market.forSale > 0 {
            lines.append("market: \(market.forSale) for sale" + (market.lowest.map { ", lowest \($0)" } ?? ""))
        } else {
            lines.append("market: none for sale")
        }
        if let sale = advice.lastSale {
            lines.append("last sold here: \(Money.format(sale.price, currency: sale.currency))" + (sale.soldAt.map { " on \(time.day($0))" } ?? "") + (sale.online ? " (online)" : " (in the shop)"))
        } else {
            lines.append("never sold here")
        }
        lines.append(stock(advice.stock))
        return lines
    }

    /// What a release's details say that tells pressings apart: formats, identifiers, tracks.
    public static func facts(_ release: ReleaseRecord) -> [String] {
        var lines: [String] = []
        let formats = release.formats.map { format in
            ([(format.quantity.flatMap { Int($0) }.map { $0 > 1 ? "\($0)×" : "" } ?? "") + format.name] + format.descriptions).joined(separator: ", ")
        }
        if !formats.isEmpty { lines.append(formats.joined(separator: " + ")) }
        if !release.barcodes.isEmpty { lines.append("barcode\(release.barcodes.count == 1 ? "" : "s") \(release.barcodes.prefix(3).joined(separator: ", "))") }
        if !release.tracklist.isEmpty { lines.append("\(release.tracklist.count) track\(release.tracklist.count == 1 ? "" : "s")") }
        return lines
    }

    /// The short guide to a grade (Goldmine's, as Discogs words it), for the grade keys.
    public static func guide(_ grade: ConditionGrade) -> String {
        switch grade {
        case .mint: "sealed or never played; perfect"
        case .nearMint: "played a few times, no marks, sleeve nearly flawless"
        case .veryGoodPlus: "light signs of play, scuffs that do not affect the sound"
        case .veryGood: "surface noise in quiet passages, light scratches, ring wear"
        case .goodPlus: "plays through with noise; scratches, seam splits, writing"
        case .good: "plays through with much noise; worn, taped, written on"
        case .fair: "plays with skips or heavy noise; barely a record"
        case .poor: "cracked, warped or does not play"
        }
    }

    public static func guide(_ sleeve: SleeveGrade) -> String {
        switch sleeve {
        case .graded(let grade): guide(grade)
        case .generic: "a plain or company sleeve, not the release's own"
        case .notGraded: "the sleeve was not graded"
        case .noCover: "sold without a sleeve"
        }
    }
}
