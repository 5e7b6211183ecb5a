import Foundation

/// The columns a listing list can be ordered by.
public enum SortField: String, CaseIterable, Sendable, Codable {
    case posted, price, artist, title, year, condition, location

    /// The direction a first press of "sort by this" should use: newest, cheapest, A→Z, best.
    public var naturalDescending: Bool {
        switch self {
        case .posted, .year, .condition: true
        case .price, .artist, .title, .location: false
        }
    }
}

public struct ListingSort: Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: SortField
    public var descending: Bool

    public init(_ field: SortField, descending: Bool? = nil) {
        self.field = field
        self.descending = descending ?? field.naturalDescending
    }

    /// Newest posted first, as the old app listed them.
    public static let `default` = ListingSort(.posted, descending: true)

    public struct ParseError: Error, CustomStringConvertible {
        public let text: String
        public var description: String {
            "unknown sort \"\(text)\": use FIELD[:asc|desc] with FIELD one of \(SortField.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    /// `price`, `price:asc`, `posted:desc`.
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let field = SortField(rawValue: String(parts[0])) else { throw ParseError(text: text) }
        var descending: Bool?
        if parts.count == 2 {
            switch parts[1] {
            case "asc": descending = false
            case "desc": descending = true
            default: throw ParseError(text: text)
            }
        }
        self.init(field, descending: descending)
    }

    public var description: String { "\(field.rawValue):\(descending ? "desc" : "asc")" }
}

/// What to show: free text, filters, ranges, order and window. The UI, the CLI and `wax serve`
/// all build one of these; `InventoryService` answers it.
public struct ListingQuery: Sendable, Hashable, Codable {
    /// Free text: a listing matches when every word is a prefix of one of its words (artist,
    /// title, label, catalog number, genres, styles, location, comments, codes), or when the
    /// whole text is part of its title or artist (as the old app's `ilike`); case and accents
    /// aside.
    public var text: String = ""
    /// Case- and accent-insensitive substring filters (the old app's `ilike '%…%'`), per kind:
    /// a listing matches a kind when it matches any of its needles (7" or 12"); kinds are ANDed.
    public var filters: [FacetKind: [String]] = [:]
    public var minPrice: Double?
    public var maxPrice: Double?
    public var minYear: Int?
    public var maxYear: Int?
    public var includeRemoved = false
    /// Only the records held for customers at the counter (true); nil or false: every listing.
    /// Optional so that a view saved before it existed still decodes.
    public var heldOnly: Bool?
    public var sort: ListingSort = .default
    public var limit: Int?
    public var offset = 0

    public init(text: String = "", sort: ListingSort = .default, limit: Int? = nil, offset: Int = 0) {
        self.text = text
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }

    /// A kind's first needle; setting one replaces the kind's needles (nil or blank clears).
    public subscript(filter kind: FacetKind) -> String? {
        get { filters[kind]?.first }
        set { self[values: kind] = newValue.map { [$0] } ?? [] }
    }

    /// A kind's needles, blank ones dropped.
    public subscript(values kind: FacetKind) -> [String] {
        get { filters[kind] ?? [] }
        set {
            let needles = newValue.filter { !$0.isBlank }
            filters[kind] = needles.isEmpty || kind == .year ? nil : needles
        }
    }

    public var artist: String? { get { self[filter: .artist] } set { self[filter: .artist] = newValue } }
    public var genre: String? { get { self[filter: .genre] } set { self[filter: .genre] = newValue } }
    public var style: String? { get { self[filter: .style] } set { self[filter: .style] = newValue } }
    public var format: String? { get { self[filter: .format] } set { self[filter: .format] = newValue } }
    public var label: String? { get { self[filter: .label] } set { self[filter: .label] = newValue } }
    public var condition: String? { get { self[filter: .condition] } set { self[filter: .condition] = newValue } }
    public var sleeveCondition: String? { get { self[filter: .sleeveCondition] } set { self[filter: .sleeveCondition] = newValue } }
    public var status: String? { get { self[filter: .status] } set { self[filter: .status] = newValue } }
    public var location: String? { get { self[filter: .location] } set { self[filter: .location] = newValue } }

    /// The same selection without order or window (what counts and facets depend on).
    public var selection: ListingQuery {
        var copy = self
        copy.sort = .default
        copy.limit = nil
        copy.offset = 0
        return copy
    }

    public var hasConditions: Bool {
        !text.isBlank || !filters.isEmpty || heldOnly == true
            || minPrice != nil || maxPrice != nil || minYear != nil || maxYear != nil
    }
}
