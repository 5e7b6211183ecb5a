import Foundation
import WaxPresentation
import WaxStore

/// The filter pane's rows for the current kind, and what choosing one does. A value chosen is
/// added to the kind's filter (7" or 12"), chosen again removed; the price tab has ready bands
/// beside its typed bounds; `/` narrows a long list (the real shop has ~480 artists).
public enum FilterPaneModel {
    /// Values listed per kind (the most frequent first).
    static let limit = 500

    public enum Row: Sendable, Equatable {
        /// A typed bound of a range (price, year): min or max.
        case bound(upper: Bool)
        case band(PriceBand, count: Int)
        case value(FacetValue)
    }

    static func rows(_ state: AppState) -> [Row] {
        var rows: [Row] = []
        if state.filterKind == .price || state.filterKind == .year {
            rows += [.bound(upper: false), .bound(upper: true)]
        }
        if state.filterKind == .price {
            for (band, count) in zip(PriceBand.all, state.facets.priceBands) where count > 0 { rows.append(.band(band, count: count)) }
        }
        guard let facet = state.filterKind.facet else { return rows }
        var values = state.facets[facet]
        if facet == .year { values.sort { $0.value > $1.value } }
        let narrow = TextFold.fold(state.valueFilter.trimmingCharacters(in: .whitespaces))
        if !narrow.isEmpty { values = values.filter { TextFold.fold($0.value).contains(narrow) } }
        return rows + values.prefix(limit).map(Row.value)
    }

    public static func rowCount(_ state: AppState) -> Int { rows(state).count }

    /// Whether a row is in force (shown with a mark).
    static func isActive(_ row: Row, _ state: AppState) -> Bool {
        switch row {
        case .bound(let upper):
            return state.filterKind == .price ? (upper ? state.query.maxPrice : state.query.minPrice) != nil
                : (upper ? state.query.maxYear : state.query.minYear) != nil
        case .band(let band, _):
            return state.query.minPrice == band.minPrice && state.query.maxPrice == band.maxPrice
        case .value(let value):
            if state.filterKind == .year { return state.query.minYear.map(String.init) == value.value && state.query.maxYear == state.query.minYear }
            guard let facet = state.filterKind.facet else { return false }
            return state.query[values: facet].contains { TextFold.fold($0) == TextFold.fold(value.value) }
        }
    }

    static func choose(_ state: inout AppState) -> Effects {
        let rows = rows(state)
        guard rows.indices.contains(state.filterCursor) else { return [] }
        switch rows[state.filterCursor] {
        case .bound(let upper):
            let current: Double? = switch (state.filterKind, upper) {
            case (.price, false): state.query.minPrice
            case (.price, true): state.query.maxPrice
            case (_, false): state.query.minYear.map(Double.init)
            case (_, true): state.query.maxYear.map(Double.init)
            }
            state.typing = .range(RangeField(kind: state.filterKind, upper: upper), text: current.map(FilterSummary.number) ?? "")
            return .redraw
        case .band(let band, _):
            let chosen = isActive(rows[state.filterCursor], state)
            state.query.minPrice = chosen ? nil : band.minPrice
            state.query.maxPrice = chosen ? nil : band.maxPrice
        case .value(let value):
            if state.filterKind == .year, let year = Int(value.value) {
                let chosen = isActive(rows[state.filterCursor], state)
                state.query.minYear = chosen ? nil : year
                state.query.maxYear = chosen ? nil : year
            } else if let facet = state.filterKind.facet {
                var needles = state.query[values: facet]
                if let index = needles.firstIndex(where: { TextFold.fold($0) == TextFold.fold(value.value) }) {
                    needles.remove(at: index)
                } else {
                    needles.append(value.value)
                }
                state.query[values: facet] = needles
            }
        }
        state.cursor = 0
        state.scrollTop = 0
        return [.refilter, .loadFacets]
    }

    /// Straight to a kind (1 Artist … 0 Year): no eight presses of `l` to reach the price.
    static func jump(to digit: Character, _ state: inout AppState) -> Effects {
        guard let number = digit.wholeNumberValue else { return [] }
        let kinds = FilterKind.allCases
        let index = number == 0 ? kinds.count - 1 : number - 1
        guard kinds.indices.contains(index) else { return [] }
        state.filterKind = kinds[index]
        state.filterCursor = 0
        state.valueFilter = ""
        return .loadFacets
    }
}
