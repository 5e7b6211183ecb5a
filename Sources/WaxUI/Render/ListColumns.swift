import Foundation
import WaxPresentation
import WaxStore
import WaxText

/// The list pane's columns: which show at a width, how wide, what each cell says.
public enum ListColumns {
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


    public static func cell(_ field: Column.Field, _ listing: Listing, _ time: LocalTime) -> String {
        let r = listing.record
        switch field {
        case .artist: return r.artist ?? ""
        case .title: return ListingFormat.mark(listing) + (r.title ?? "")
        case .format: return r.format ?? ""
        case .condition: return ListingFormat.conditions(listing)
        case .price: return ListingFormat.price(listing)
        case .posted: return ListingFormat.postedDay(listing, time)
        case .location: return r.location ?? ""
        case .year: return r.year.map(String.init) ?? ""
        }
    }
}
