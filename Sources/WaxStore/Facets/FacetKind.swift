/// The dimensions the filter pane counts and filters by.
public enum FacetKind: String, CaseIterable, Sendable, Codable, Hashable {
    case artist, genre, style, format, label, condition
    case sleeveCondition = "sleeve_condition"
    case year, location, status

    /// Kinds filtered by a text needle (year is a range instead).
    public static let textFilters: [FacetKind] = allCases.filter { $0 != .year }

    /// Kinds whose listing column holds a `; `-joined list (a release has several genres; a
    /// format string is several parts: `LP`, `Album`, `RE`).
    var isMultiValued: Bool { self == .genre || self == .style || self == .format }

    /// The listing column holding this kind's value id (the year itself for years).
    var idColumn: ListingColumn {
        switch self {
        case .artist: .artistFID
        case .genre: .genreFID
        case .style: .styleFID
        case .format: .formatFID
        case .label: .labelFID
        case .condition: .conditionFID
        case .sleeveCondition: .sleeveFID
        case .location: .locationFID
        case .status: .statusFID
        case .year: .year
        }
    }

    public var title: String {
        switch self {
        case .artist: "Artist"
        case .genre: "Genre"
        case .style: "Style"
        case .format: "Format"
        case .label: "Label"
        case .condition: "Condition"
        case .sleeveCondition: "Sleeve"
        case .year: "Year"
        case .location: "Location"
        case .status: "Status"
        }
    }
}
