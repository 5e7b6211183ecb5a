import Foundation
import WaxStore
import WaxText

/// How listings read, in the browser and the CLI alike: short, consistent, tested on their own.
public enum ListingFormat {
    /// `VG+/G` (media/sleeve), the codes staff use; "Generic" sleeves read `gen`.
    public static func conditions(_ listing: Listing) -> String {
        conditions(media: listing.record.condition, sleeve: listing.record.sleeveCondition)
    }

    /// `NM/gen` for Discogs' "Near Mint (NM or M-)" and "Generic": the list, the orders, the
    /// pick list and the CLI all say it so.
    public static func conditions(media: String?, sleeve: String?) -> String {
        [media, sleeve].compactMap(code).joined(separator: "/")
    }

    /// The code staff use for one of Discogs' grades (`VG+`, `gen`, `n/g`).
    public static func code(_ text: String?) -> String? {
        guard let text else { return nil }
        if let grade = ConditionGrade(discogs: text) { return grade.code }
        switch text.lowercased() {
        case "generic": return "gen"
        case "not graded": return "n/g"
        case "no cover": return "none"
        default: return String(text.prefix(4))
        }
    }

    /// `12.50 €`-style without a locale: `12.50 USD`, or the bare number.
    public static func price(_ listing: Listing) -> String {
        listing.record.priceValue.map { Money.format($0, currency: listing.record.priceCurrency) } ?? "—"
    }

    /// `2025-06-27`: the posted day in the shop's time zone.
    public static func postedDay(_ listing: Listing, _ time: LocalTime) -> String {
        listing.record.postedAt.map(time.day) ?? ""
    }

    /// "just now", "12 min ago", "3 h ago", "2 days ago".
    public static func ago(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "just now"
        case ..<3_600: return "\(seconds / 60) min ago"
        case ..<86_400: return "\(seconds / 3_600) h ago"
        default: return "\(seconds / 86_400) day\(seconds >= 172_800 ? "s" : "") ago"
        }
    }

    /// "Björk – Army Of Me": how staff name a record everywhere (the list, messages, orders,
    /// the CLI). A missing part reads "?".
    public static func name(artist: String?, title: String?) -> String {
        "\(artist ?? "?") – \(title ?? "?")"
    }

    public static func name(_ record: ListingRecord) -> String { name(artist: record.artist, title: record.title) }
    public static func name(_ listing: Listing) -> String { name(listing.record) }

    /// "Björk – Army Of Me, 25.00 USD, bin A1": a record as a question names it.
    public static func describe(_ listing: Listing) -> String {
        var parts = [name(listing)]
        if let price = listing.record.priceValue { parts.append(Money.format(price, currency: listing.record.priceCurrency)) }
        if let bin = listing.record.location { parts.append("bin \(bin)") }
        return parts.joined(separator: ", ")
    }

    /// Held and waiting listings say so where the eye reads the title.
    public static func mark(_ listing: Listing) -> String {
        switch (listing.heldBy != nil, listing.hasPendingAction) {
        case (true, true): "(held, waiting) "
        case (true, false): "(held) "
        case (false, true): "(waiting) "
        case (false, false): ""
        }
    }
}
