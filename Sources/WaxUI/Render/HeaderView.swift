import Foundation
import WaxStore
import WaxText

/// The top line: the shop, the count, the search and filters, the sort.
enum HeaderView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        grid.fill(x: 0, y: rect.y, width: rect.width, role: .header)
        var x = grid.write(" wax", x: 0, y: rect.y, role: .headerAccent)
        if !state.shop.isEmpty { x += grid.write(" · \(state.shop)", x: x, y: rect.y, role: .header) }
        let count = state.emptyMirror ? "  empty mirror" : "  showing \(state.total) of \(state.inventoryTotal)"
        x += grid.write(count, x: x, y: rect.y, role: .header)
        var parts = FilterSummary.parts(state.query)
        if !state.query.text.isEmpty { parts.insert("/\(state.query.text)", at: 0) }
        let sort = "sort: \(state.query.sort.field.rawValue) \(state.query.sort.descending ? "↓" : "↑") "
        let sortWidth = DisplayWidth.of(sort)
        grid.write(sort, x: rect.width - sortWidth, y: rect.y, role: .header)
        if !parts.isEmpty {
            grid.write("  " + parts.joined(separator: "  "), x: x, y: rect.y, role: .headerAccent, limit: max(0, rect.width - sortWidth - x - 1))
        }
    }

}
