import Foundation
import WaxStore
import WaxText

/// Draws a state into a grid. Pure: the same state gives the same screen, which is what the
/// golden tests check and why the curses driver can redraw whenever it likes.
public enum Renderer {
    public static func render(_ state: AppState) -> ScreenGrid {
        var grid = ScreenGrid(columns: state.columns, rows: state.rows)
        guard state.columns >= 20, state.rows >= 6 else {
            grid.write("wax needs at least 20×6", x: 0, y: 0, role: .statusError)
            return grid
        }
        let layout = state.layout
        HeaderView.draw(state, into: &grid, layout.header)
        if state.overlay == .changes {
            ChangesView.draw(state, into: &grid, Layout.Rect(x: 0, y: layout.list.y, width: state.columns, height: max(layout.list.height, layout.side.height)))
        } else {
            if layout.list.width > 0 {
                if state.emptyMirror {
                    EmptyView.draw(into: &grid, layout.list)
                } else {
                    ListView.draw(state, into: &grid, layout.list)
                }
            }
            if layout.split {
                for y in layout.list.y..<(layout.list.y + layout.list.height) {
                    grid.write("│", x: layout.list.width, y: y, role: .rule)
                }
            }
            if layout.side.width > 0 {
                if state.filterOpen {
                    FilterView.draw(state, into: &grid, layout.side)
                } else {
                    DetailView.draw(state, into: &grid, layout.side)
                }
            }
        }
        if layout.searchLine.height > 0 { PromptView.draw(state, into: &grid, layout.searchLine) }
        StatusBar.draw(state, into: &grid, layout.status)
        if state.overlay == .help { HelpView.draw(state, into: &grid) }
        return grid
    }
}

enum HeaderView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        grid.fill(x: 0, y: rect.y, width: rect.width, role: .header)
        var x = grid.write(" wax", x: 0, y: rect.y, role: .headerAccent)
        if !state.shop.isEmpty { x += grid.write(" · \(state.shop)", x: x, y: rect.y, role: .header) }
        let count = state.emptyMirror ? "  empty mirror" : "  showing \(state.total) of \(state.inventoryTotal)"
        x += grid.write(count, x: x, y: rect.y, role: .header)
        var parts: [String] = []
        if !state.query.text.isEmpty { parts.append("/\(state.query.text)") }
        for kind in FacetKind.textFilters {
            if let value = state.query[filter: kind], !value.isEmpty { parts.append("\(kind.title.lowercased()):\(value)") }
        }
        if let low = state.query.minPrice { parts.append("price≥\(trim(low))") }
        if let high = state.query.maxPrice { parts.append("price≤\(trim(high))") }
        if let low = state.query.minYear { parts.append("year≥\(low)") }
        if let high = state.query.maxYear { parts.append("year≤\(high)") }
        let sort = "sort: \(state.query.sort.field.rawValue) \(state.query.sort.descending ? "↓" : "↑") "
        let sortWidth = DisplayWidth.of(sort)
        grid.write(sort, x: rect.width - sortWidth, y: rect.y, role: .header)
        if !parts.isEmpty {
            grid.write("  " + parts.joined(separator: "  "), x: x, y: rect.y, role: .headerAccent, limit: max(0, rect.width - sortWidth - x - 1))
        }
    }

    static func trim(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

enum EmptyView {
    static let lines = [
        "The mirror is empty.",
        "",
        "To fill it from Discogs: set DISCOGS_TOKEN and DISCOGS_SELLER_USERNAME",
        "(environment or ~/.config/wax/config), then press s to sync.",
        "",
        "To import the old app's CSV:   wax import FILE.csv",
        "To try wax on a made-up shop:  wax demo",
    ]

    static func draw(into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let top = rect.y + max(0, (rect.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < rect.y + rect.height {
            let x = rect.x + max(1, (rect.width - DisplayWidth.of(line)) / 2)
            grid.write(line, x: x, y: top + index, role: index == 0 ? .accent : .normal, limit: rect.width - 1)
        }
    }
}

enum ListView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let columns = ListingFormat.columns(width: rect.width)
        var x = rect.x
        for column in columns {
            var title = column.title
            if let field = sortedColumn(state.query.sort.field), field == column.field {
                title += state.query.sort.descending ? " ↓" : " ↑"
            }
            grid.write(fitting: title, x: x, y: rect.y, width: column.width, role: .columns, alignRight: column.alignRight)
            x += column.width
            if x < rect.x + rect.width { grid.fill(x: x, y: rect.y, width: 1, role: .columns) }
            x += 1
        }
        if state.total == 0 {
            grid.write(state.query.hasConditions ? "  nothing matches: Esc clears the search, x clears everything" : "", x: rect.x, y: rect.y + 2, role: .dim, limit: rect.width)
            return
        }
        for line in 0..<state.layout.listRows {
            let index = state.scrollTop + line
            guard index < state.total else { break }
            let y = rect.y + 1 + line
            let local = index - state.windowStart
            let isCursor = index == state.cursor
            guard state.window.indices.contains(local) else {
                grid.write("…", x: rect.x, y: y, role: .dim)
                continue
            }
            let listing = state.window[local]
            let role: StyleRole = isCursor ? (state.focus == .list || state.searchEditing ? .selected : .selectedUnfocused) : (listing.isRemoved ? .removed : .normal)
            x = rect.x
            for column in columns {
                grid.write(fitting: ListingFormat.cell(column.field, listing), x: x, y: y, width: column.width, role: role, alignRight: column.alignRight)
                x += column.width
                if x < rect.x + rect.width { grid.fill(x: x, y: y, width: 1, role: role) }
                x += 1
            }
        }
    }

    /// The column a sort field is shown on (year has none).
    static func sortedColumn(_ field: SortField) -> ListingFormat.Column.Field? {
        switch field {
        case .posted: .posted
        case .price: .price
        case .artist: .artist
        case .title: .title
        case .condition: .condition
        case .location: .location
        case .year: nil
        }
    }
}

enum PromptView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        if let field = state.rangeEditing {
            let name = "\(field.upper ? "max" : "min") \(field.kind.rawValue)"
            let x = grid.write(" \(name): ", x: 0, y: rect.y, role: .prompt)
            grid.write(state.rangeText + "▏", x: x, y: rect.y, role: .normal)
        } else if state.searchEditing {
            let x = grid.write(" / ", x: 0, y: rect.y, role: .prompt)
            grid.write(state.query.text + "▏", x: x, y: rect.y, role: .normal, limit: rect.width - x)
            let note = "Enter keeps · Esc clears "
            grid.write(note, x: rect.width - DisplayWidth.of(note), y: rect.y, role: .dim)
        } else if let message = state.message {
            grid.write(" " + DisplayWidth.truncate(message, to: max(1, rect.width - 2)), x: 0, y: rect.y, role: .accent)
        }
    }
}
