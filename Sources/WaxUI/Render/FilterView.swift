import Foundation
import WaxStore
import WaxText

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

enum FilterView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let x = rect.x + 1
        let width = rect.width - 2
        grid.write(fitting: " Filters", x: rect.x, y: rect.y, width: rect.width, role: state.focus == .filter ? .selected : .columns)
        var active: [String] = []
        for kind in FacetKind.textFilters {
            if let value = state.query[filter: kind], !value.isEmpty { active.append("\(kind.title.lowercased()): \(value)") }
        }
        if state.query.minPrice != nil || state.query.maxPrice != nil {
            active.append("price: \(state.query.minPrice.map(HeaderView.trim) ?? "")–\(state.query.maxPrice.map(HeaderView.trim) ?? "")")
        }
        if state.query.minYear != nil || state.query.maxYear != nil {
            active.append("year: \(state.query.minYear.map(String.init) ?? "")–\(state.query.maxYear.map(String.init) ?? "")")
        }
        grid.write(active.isEmpty ? "no filters" : active.joined(separator: " · "), x: x, y: rect.y + 1,
                   role: active.isEmpty ? .dim : .active, limit: width)
        // The kinds, the current one marked; ← → (h l) move between them.
        var kx = x
        for kind in FilterKind.allCases {
            let title = kind == state.filterKind ? "[\(kind.title)]" : kind.title
            let w = DisplayWidth.of(title) + 1
            if kx + w > x + width {
                grid.write("…", x: kx, y: rect.y + 2, role: .dim)
                break
            }
            grid.write(title, x: kx, y: rect.y + 2, role: kind == state.filterKind ? .accent : .dim)
            kx += w
        }
        grid.write(String(repeating: "─", count: max(0, width)), x: x, y: rect.y + 3, role: .rule)

        let top = rect.y + 4
        let visible = max(0, rect.height - 4)
        var rows: [(String, String, Bool)] = []   // label, count, active
        if FilterPaneModel.rangeRows(state.filterKind) > 0 {
            let (low, high): (String?, String?) = state.filterKind == .price
                ? (state.query.minPrice.map(HeaderView.trim), state.query.maxPrice.map(HeaderView.trim))
                : (state.query.minYear.map(String.init), state.query.maxYear.map(String.init))
            rows.append(("min: \(low ?? "—")", "Enter to set", low != nil))
            rows.append(("max: \(high ?? "—")", "Enter to set", high != nil))
        }
        let current = state.filterKind.facet.flatMap { state.query[filter: $0] }
        for value in FilterPaneModel.values(state) {
            rows.append((value.value, String(value.count), current.map { TextFoldProbe.same($0, value.value) } ?? false))
        }
        if rows.isEmpty {
            grid.write(state.filterKind.facet == .genre || state.filterKind.facet == .style
                       ? "none yet: genres and styles arrive with release details" : "no values", x: x, y: top, role: .dim, limit: width)
            return
        }
        let scroll = max(0, min(state.filterCursor - visible / 2, rows.count - visible))
        for (line, row) in rows.enumerated().dropFirst(max(0, scroll)).prefix(visible) {
            let y = top + (line - max(0, scroll))
            let role: StyleRole = line == state.filterCursor && state.focus == .filter ? .selected : (row.2 ? .active : .normal)
            grid.fill(x: rect.x, y: y, width: rect.width, role: role)
            let countWidth = DisplayWidth.of(row.1)
            grid.write((row.2 ? "● " : "  ") + row.0, x: x, y: y, role: role, limit: width - countWidth - 1)
            grid.write(row.1, x: x + width - countWidth, y: y, role: line == state.filterCursor ? role : .dim)
        }
    }
}

/// Whether a filter needle names this value (case and accents aside).
enum TextFoldProbe {
    static func same(_ a: String, _ b: String) -> Bool { TextFold.fold(a) == TextFold.fold(b) }
}
