import Foundation
import WaxPresentation
import WaxStore
import WaxText

/// The top line: the shop, the count and where the cursor is, the search and filters, the sort.
/// What does not fit is dropped (or shortened) least needed first, never overlapped: the counts
/// read wrong when the sort was written over them.
enum HeaderView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        grid.fill(x: 0, y: rect.y, width: rect.width, role: .header)
        let parts = pieces(state, width: rect.width)
        var x = grid.write(" wax", x: 0, y: rect.y, role: .headerAccent)
        if let shop = parts.shop { x += grid.write(shop, x: x, y: rect.y, role: .header) }
        x += grid.write(parts.count, x: x, y: rect.y, role: .header)
        let sortWidth = parts.sort.map { DisplayWidth.of($0) } ?? 0
        if let sort = parts.sort { grid.write(sort, x: rect.width - sortWidth, y: rect.y, role: .header) }
        if let filters = parts.filters {
            let room = rect.width - sortWidth - x - 1
            if room > 3 { grid.write(DisplayWidth.truncate(filters, to: room), x: x, y: rect.y, role: .headerAccent) }
        }
    }

    struct Pieces: Equatable {
        var shop: String?
        var count: String
        var filters: String?
        var sort: String?
    }

    /// The header's pieces for `width` cells: the count always (short when it must be), then the
    /// sort, the shop, the filters as room allows.
    static func pieces(_ state: AppState, width: Int) -> Pieces {
        var filters = FilterSummary.parts(state.query)
        if !state.query.text.isEmpty { filters.insert("/\(state.query.text)", at: 0) }
        let position = state.total > 0 ? " · row \(state.cursor + 1)" : ""
        let long = state.emptyMirror ? "  empty mirror" : "  showing \(state.total) of \(state.inventoryTotal)\(position)"
        let short = state.emptyMirror ? "  empty" : "  \(state.total)/\(state.inventoryTotal)\(position.isEmpty ? "" : " #\(state.cursor + 1)")"
        let sort = "sort: \(state.query.sort.field.rawValue) \(state.query.sort.descending ? "↓" : "↑") "
        let shop = state.shop.isEmpty ? nil : " · \(state.shop)"
        var pieces = Pieces(shop: nil, count: long, filters: nil, sort: nil)
        var used = 4 + DisplayWidth.of(long)
        if used > width {
            pieces.count = short
            used = 4 + DisplayWidth.of(short)
        }
        if used + DisplayWidth.of(sort) + 1 <= width {
            pieces.sort = sort
            used += DisplayWidth.of(sort) + 1
        }
        if let shop, used + DisplayWidth.of(shop) <= width {
            pieces.shop = shop
            used += DisplayWidth.of(shop)
        }
        if !filters.isEmpty, used + 6 <= width { pieces.filters = "  " + filters.joined(separator: "  ") }
        return pieces
    }
}
