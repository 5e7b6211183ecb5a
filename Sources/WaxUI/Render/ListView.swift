import Foundation
import WaxStore
import WaxText

/// The listings, one per row, in the columns the width allows.
enum ListView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let columns = ListColumns.columns(width: rect.width, sort: state.query.sort.field)
        var x = rect.x
        for column in columns {
            var title = column.title
            if sortedColumn(state.query.sort.field) == column.field {
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
            let role: StyleRole = isCursor ? (state.focus == .list || state.typing == .search ? .selected : .selectedUnfocused) : (listing.isRemoved ? .removed : .normal)
            x = rect.x
            for column in columns {
                grid.write(fitting: ListColumns.cell(column.field, listing, state.time), x: x, y: y, width: column.width, role: role, alignRight: column.alignRight)
                x += column.width
                if x < rect.x + rect.width { grid.fill(x: x, y: y, width: 1, role: role) }
                x += 1
            }
        }
    }

    /// The column a sort field is shown on.
    static func sortedColumn(_ field: SortField) -> ListColumns.Column.Field {
        switch field {
        case .posted: .posted
        case .price: .price
        case .artist: .artist
        case .title: .title
        case .condition: .condition
        case .location: .location
        case .year: .year
        }
    }
}
