import Foundation
import WaxStore
import WaxText

/// How listings read on screen: short, consistent, tested on their own.
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

    /// The list's columns and the widths they get, dropping the least needed first when the
    /// terminal is narrow; artist, title and price always stay.
    public struct Column: Sendable, Equatable {
        public enum Field: String, Sendable, CaseIterable { case artist, title, format, year, condition, price, posted, location }
        public var field: Field
        public var width: Int
        public var title: String {
            switch field {
            case .artist: "Artist"
            case .title: "Title"
            case .format: "Format"
            case .condition: "Cond"
            case .price: "Price"
            case .posted: "Posted"
            case .location: "Bin"
            case .year: "Year"
            }
        }
        public var alignRight: Bool { field == .price }
    }

    static let fixedWidths: [Column.Field: Int] = [.format: 12, .year: 6, .condition: 7, .price: 10, .posted: 10, .location: 9]
    /// The posted day goes first (the list is already in posted order), then format, then the
    /// shelf; conditions and price stay longest.
    static let dropOrder: [Column.Field] = [.posted, .format, .location, .condition]

    /// The list's columns for `width` cells. The year shows only while the list is sorted by it
    /// (sorting by a column not on screen changed nothing visible).
    public static func columns(width: Int, sort: SortField = .posted) -> [Column] {
        var fields = Column.Field.allCases.filter { $0 != .year || sort == .year }
        func fixed() -> Int { fields.compactMap { fixedWidths[$0] }.reduce(0, +) + fields.count - 1 }
        var drop = dropOrder[...]
        // Artist and title share what is left: drop columns until they have 36 cells together.
        while width - fixed() < 36, let next = drop.popFirst() { fields.removeAll { $0 == next } }
        let flexible = max(2, width - fixed())
        let artist = flexible * 2 / 5
        return fields.map { field in
            switch field {
            case .artist: Column(field: field, width: artist)
            case .title: Column(field: field, width: flexible - artist)
            default: Column(field: field, width: fixedWidths[field]!)
            }
        }
    }

    /// Held and waiting listings say so where the eye reads the title.
    static func mark(_ listing: Listing) -> String {
        switch (listing.heldBy != nil, listing.hasPendingAction) {
        case (true, true): "(held, waiting) "
        case (true, false): "(held) "
        case (false, true): "(waiting) "
        case (false, false): ""
        }
    }

    public static func cell(_ field: Column.Field, _ listing: Listing, _ time: LocalTime) -> String {
        let r = listing.record
        switch field {
        case .artist: return r.artist ?? ""
        case .title: return mark(listing) + (r.title ?? "")
        case .format: return r.format ?? ""
        case .condition: return conditions(listing)
        case .price: return price(listing)
        case .posted: return postedDay(listing, time)
        case .location: return r.location ?? ""
        case .year: return r.year.map(String.init) ?? ""
        }
    }
}
