import Foundation
import WaxPresentation
import WaxStore
import WaxText

/// The filter pane: what is in force, the kinds (a digit jumps to one), and the current kind's
/// values with their counts given the other filters.
enum FilterView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let x = rect.x + 1
        let width = rect.width - 2
        grid.write(fitting: " Filters", x: rect.x, y: rect.y, width: rect.width, role: state.focus == .filter ? .selected : .columns)
        let active = FilterSummary.parts(state.query)
        grid.write(DisplayWidth.truncate(active.isEmpty ? "no filters" : active.joined(separator: " · "), to: max(1, width)), x: x, y: rect.y + 1,
                   role: active.isEmpty ? .dim : .active)
        // The kinds, numbered (1–9, 0), the current one marked; ← → (h l) move between them.
        // When they do not all fit, the bar starts where the current one shows (`9` chose
        // Price while the bar still showed 1–8).
        let titles = FilterKind.allCases.enumerated().map { index, kind in
            let number = (index + 1) % 10
            return kind == state.filterKind ? "[\(number) \(kind.title)]" : "\(number) \(kind.title)"
        }
        let current = FilterKind.allCases.firstIndex(of: state.filterKind) ?? 0
        func fits(from first: Int) -> Bool {
            let used = titles[first...current].reduce(0) { $0 + DisplayWidth.of($1) + 1 } + (first > 0 ? 2 : 0)
            return used <= width
        }
        var first = 0
        while first < current, !fits(from: first) { first += 1 }
        var kx = x
        if first > 0 { kx += grid.write("… ", x: kx, y: rect.y + 2, role: .dim) }
        for (index, title) in titles.enumerated().dropFirst(first) {
            let w = DisplayWidth.of(title) + 1
            if kx + w > x + width {
                grid.write("…", x: min(kx, x + width - 1), y: rect.y + 2, role: .dim)
                break
            }
            grid.write(title, x: kx, y: rect.y + 2, role: index == current ? .accent : .dim)
            kx += w
        }
        // The narrowing text, or the rule.
        if (state.typing == .narrowing) || !state.valueFilter.isEmpty {
            let shown = grid.write("/ ", x: x, y: rect.y + 3, role: .prompt)
            grid.write(state.valueFilter + ((state.typing == .narrowing) ? "▏" : ""), x: x + shown, y: rect.y + 3, role: .normal, limit: width - shown)
        } else {
            grid.write(String(repeating: "─", count: max(0, width)), x: x, y: rect.y + 3, role: .rule)
        }

        let top = rect.y + 4
        let visible = max(0, rect.height - 4)
        let rows = FilterPaneModel.rows(state)
        if rows.isEmpty {
            let empty = !state.valueFilter.isEmpty ? "nothing contains \"\(state.valueFilter)\": Esc clears"
                : state.filterKind.facet == .genre || state.filterKind.facet == .style
                ? "none yet: genres and styles arrive with release details" : "no values"
            grid.write(empty, x: x, y: top, role: .dim, limit: width)
            return
        }
        let scroll = max(0, min(state.filterCursor - visible / 2, rows.count - visible))
        for (line, row) in rows.enumerated().dropFirst(scroll).prefix(visible) {
            let y = top + (line - scroll)
            let active = FilterPaneModel.isActive(row, state)
            let selected = line == state.filterCursor && state.focus == .filter
            let role: StyleRole = selected ? .selected : (active ? .active : .normal)
            grid.fill(x: rect.x, y: y, width: rect.width, role: role)
            let (label, count) = text(row, state)
            let countWidth = DisplayWidth.of(count)
            grid.write((active ? "● " : "  ") + label, x: x, y: y, role: role, limit: width - countWidth - 1)
            grid.write(count, x: x + width - countWidth, y: y, role: selected ? role : .dim)
        }
    }

    private static func text(_ row: FilterPaneModel.Row, _ state: AppState) -> (String, String) {
        switch row {
        case .bound(let upper):
            let value: String? = state.filterKind == .price
                ? (upper ? state.query.maxPrice : state.query.minPrice).map(FilterSummary.number)
                : (upper ? state.query.maxYear : state.query.minYear).map(String.init)
            return ("\(upper ? "max" : "min"): \(value ?? "—")", "Enter to type")
        case .band(let band, let count):
            return (band.label, String(count))
        case .value(let value):
            return (value.value, String(value.count))
        }
    }
}
