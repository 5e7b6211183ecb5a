import Foundation
import WaxStore
import WaxText

enum FilterView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let x = rect.x + 1
        let width = rect.width - 2
        grid.write(fitting: " Filters", x: rect.x, y: rect.y, width: rect.width, role: state.focus == .filter ? .selected : .columns)
        let active = FilterSummary.parts(state.query)
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
                ? (state.query.minPrice.map(FilterSummary.number), state.query.maxPrice.map(FilterSummary.number))
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
