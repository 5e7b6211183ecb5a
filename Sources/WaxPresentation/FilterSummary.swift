import Foundation
import WaxStore

/// The filters in force, as the header and the filter pane both show them: `artist: björk`,
/// `price: 10–20`, `year: 1990–`.
public enum FilterSummary {
    public static func parts(_ query: ListingQuery) -> [String] {
        var parts: [String] = []
        if query.heldOnly == true { parts.append("held only") }
        for kind in FacetKind.textFilters {
            let values = query[values: kind]
            if !values.isEmpty { parts.append("\(kind.title.lowercased()): \(values.joined(separator: " or "))") }
        }
        if query.minPrice != nil || query.maxPrice != nil {
            parts.append("price: \(query.minPrice.map(number) ?? "")–\(query.maxPrice.map(number) ?? "")")
        }
        if query.minYear != nil || query.maxYear != nil {
            parts.append("year: \(query.minYear.map(String.init) ?? "")–\(query.maxYear.map(String.init) ?? "")")
        }
        return parts
    }

    /// The whole selection in words, the free text included: what a reprice run was over.
    public static func selection(_ query: ListingQuery) -> String {
        let parts = (query.text.isEmpty ? [] : ["\"\(query.text)\""]) + self.parts(query)
        return parts.isEmpty ? "every listing" : parts.joined(separator: ", ")
    }

    /// `12` or `12.5`: a bound as typed.
    public static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
