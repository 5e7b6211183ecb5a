import Foundation
import WaxStore

/// The filter pane's rows for the current kind, and what choosing one does.
public enum FilterPaneModel {
    /// Values listed per kind (the most frequent first).
    static let limit = 500

    static func values(_ state: AppState) -> [FacetValue] {
        guard let facet = state.filterKind.facet else { return [] }
        var values = state.facets[facet]
        if facet == .year { values.sort { $0.value > $1.value } }
        return Array(values.prefix(limit))
    }

    public static func rowCount(_ state: AppState) -> Int {
        rangeRows(state.filterKind) + values(state).count
    }

    /// Range kinds (price, year) start with their min and max rows.
    static func rangeRows(_ kind: FilterKind) -> Int { kind == .price || kind == .year ? 2 : 0 }

    static func choose(_ state: inout AppState) -> Effects {
        let ranges = rangeRows(state.filterKind)
        if state.filterCursor < ranges {
            state.rangeEditing = RangeField(kind: state.filterKind, upper: state.filterCursor == 1)
            let current: Double? = switch (state.filterKind, state.filterCursor == 1) {
            case (.price, false): state.query.minPrice
            case (.price, true): state.query.maxPrice
            case (_, false): state.query.minYear.map(Double.init)
            case (_, true): state.query.maxYear.map(Double.init)
            }
            state.rangeText = current.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? ""
            return .redraw
        }
        let list = values(state)
        let index = state.filterCursor - ranges
        guard list.indices.contains(index) else { return [] }
        let value = list[index].value
        if state.filterKind == .year, let year = Int(value) {
            state.query.minYear = year
            state.query.maxYear = year
        } else if let facet = state.filterKind.facet {
            state.query[filter: facet] = value
        }
        state.cursor = 0
        state.scrollTop = 0
        return [.refilter, .loadFacets]
    }
}
