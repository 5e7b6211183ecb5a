import Foundation
import WaxPresentation
import WaxStore
import WaxText

/// `b`: the Discogs orders, open ones first, each with its items and their bins; Enter opens
/// one (address, instructions, messages). A double sale is drawn as an error.
enum OrdersView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        if let open = state.orders.open {
            drawOrder(open, state, into: &grid, rect)
            return
        }
        let board = state.orders
        let open = board.orders.filter(\.isOpen).count
        grid.write(fitting: " Orders: \(open) open of \(board.orders.count) (Enter: address and messages · t: status · P: pick list · Esc closes)",
                   x: 0, y: rect.y, width: rect.width, role: .columns)
        guard !board.orders.isEmpty else {
            let text = "No Discogs orders in the mirror yet. They are read every ORDERS_POLL_MINUTES with the seller's token (wax orders --sync reads them now)."
            for (n, line) in DisplayWidth.wrap(text, to: max(10, rect.width - 2)).enumerated() {
                grid.write(line, x: 1, y: rect.y + 2 + n, role: .dim)
            }
            return
        }
        // Each order is a block: its line, then one line per item. The selected block is kept
        // on screen whole when it fits.
        let blocks = board.orders.map { 1 + $0.items.count }
        let visible = max(1, rect.height - 1)
        var top = 0
        var start = 0
        for index in 0..<board.cursor { start += blocks[index] }
        let end = start + blocks[board.cursor]
        if end > visible { top = min(start, end - visible) }
        var y = rect.y + 1 - top
        for (index, order) in board.orders.enumerated() {
            defer { y += blocks[index] }
            guard y + blocks[index] > rect.y + 1, y < rect.y + 1 + visible else { continue }
            let selected = index == board.cursor
            orderLine(order, selected: selected, state, into: &grid, y: y, rect: rect)
            for (n, item) in order.items.enumerated() {
                let itemY = y + 1 + n
                guard itemY > rect.y, itemY < rect.y + 1 + visible else { continue }
                itemLine(item, dim: !order.isOpen, into: &grid, y: itemY, rect: rect)
            }
        }
    }

    private static func orderLine(_ order: Order, selected: Bool, _ state: AppState, into grid: inout ScreenGrid, y: Int, rect: Layout.Rect) {
        guard y > rect.y, y < rect.y + rect.height else { return }
        let r = order.record
        let double = order.unresolvedDoubleSales.first
        let role: StyleRole = selected ? .selected : double != nil ? .statusError : order.isOpen ? .label : .dim
        grid.fill(x: 0, y: y, width: rect.width, role: role)
        var x = 1
        x += grid.write(column(r.id, 12), x: x, y: y, role: role)
        x += grid.write(column(r.status.rawValue, 19), x: x, y: y, role: role)
        x += grid.write(column(r.age(now: state.now), 5), x: x, y: y, role: role)
        x += grid.write(column(r.buyer ?? "?", 17), x: x, y: y, role: role)
        x += grid.write(column(OrderFormat.total(r), 13), x: x, y: y, role: role)
        if let double {
            grid.write("DOUBLE SALE: \(OrderFormat.cause(double))", x: x, y: y, role: selected ? .selected : .statusError, limit: rect.width - x - 1)
        } else {
            grid.write("\(order.items.count) item\(order.items.count == 1 ? "" : "s")", x: x, y: y, role: role, limit: rect.width - x - 1)
        }
    }

    private static func itemLine(_ item: Order.Item, dim: Bool, into grid: inout ScreenGrid, y: Int, rect: Layout.Rect) {
        let bin = column(item.location ?? "—", 9)
        var x = 5
        x += grid.write(bin, x: x, y: y, role: dim ? .dim : .accent)
        let conditions = OrderFormat.conditions(item.record)
        var text = OrderFormat.name(item) + (conditions.isEmpty ? "" : " · " + conditions)
        if !item.inMirror { text += " · not in the mirror" }
        if let picked = item.pickedBy { text += " · ✓ \(picked)" }
        grid.write(DisplayWidth.truncate(text, to: max(1, rect.width - x - 1)), x: x, y: y, role: dim ? .dim : .normal)
    }

    private static func drawOrder(_ order: Order, _ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        grid.write(fitting: " Order \(order.id) (t: status · Esc: back to the orders)", x: 0, y: rect.y, width: rect.width, role: .columns)
        let lines = OrderFormat.detailLines(order, time: state.time, width: rect.width)
        let visible = max(1, rect.height - 1)
        let scroll = max(0, min(state.orders.scroll, lines.count - visible))
        for (n, (line, emphasis)) in lines.dropFirst(scroll).prefix(visible).enumerated() {
            grid.write(DisplayWidth.truncate(" " + line, to: rect.width), x: 0, y: rect.y + 1 + n, role: StyleRole(emphasis))
        }
    }

    /// How far the open order scrolls (for clamping).
    static func maxScroll(_ state: AppState) -> Int {
        guard let open = state.orders.open else { return 0 }
        return max(0, OrderFormat.detailLines(open, time: state.time, width: state.columns).count - state.layout.changesRows)
    }
}

/// `P`: every item of the paid, unshipped orders, by bin (C2, C3, C27), each marked as staff
/// pick it. The marks are in the mirror: two staff share one list.
enum PickListView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let items = state.orders.pickItems
        let picked = items.filter { $0.item.pickedBy != nil }.count
        let orders = Set(items.map(\.orderID)).count
        let doubles = items.filter { $0.doubleSale != nil }.count
        grid.write(fitting: " Pick list: \(items.count) item\(items.count == 1 ? "" : "s") of \(orders) paid order\(orders == 1 ? "" : "s"), by bin · \(picked) picked"
                   + (doubles > 0 ? " · \(doubles) DOUBLE SALE: do not pick" : "") + " (Space: picked · Enter: the order · Esc closes)",
                   x: 0, y: rect.y, width: rect.width, role: .columns)
        guard !items.isEmpty else {
            grid.write("Nothing to pick: no paid order waits to be shipped.", x: 1, y: rect.y + 2, role: .dim, limit: rect.width - 2)
            return
        }
        let visible = max(1, rect.height - 1)
        let cursor = state.orders.pickCursor
        let scroll = max(0, min(cursor - visible / 2, items.count - visible))
        // Columns: the mark with who picked it (as wide as the longest name, up to 10), bin 10,
        // the record, conditions 8, order 13, buyer. The picker had been put after the record,
        // where 80 columns cut it to "…".
        let markWidth = max(items.contains { $0.doubleSale != nil } ? 5 : 0,
                            3 + min(10, items.compactMap { $0.item.pickedBy.map(DisplayWidth.of) }.max().map { $0 + 1 } ?? 0))
        let tail = 8 + 13 + 16
        for (index, pick) in items.enumerated().dropFirst(scroll).prefix(visible) {
            let y = rect.y + 1 + index - scroll
            let selected = index == cursor
            let done = pick.item.pickedBy != nil
            // A double-sold item is not to be picked: red, and saying so where the mark goes.
            let doubleSold = pick.doubleSale != nil
            let role: StyleRole = selected ? .selected : doubleSold ? .statusError : done ? .dim : .normal
            grid.fill(x: 0, y: y, width: rect.width, role: role)
            var x = 1
            let mark = doubleSold ? "✗ no" : pick.item.pickedBy.map { "✓ \($0)" } ?? "·"
            x += grid.write(column(mark, max(markWidth, doubleSold ? 5 : 0)), x: x, y: y, role: selected ? .selected : doubleSold ? .statusError : done ? .added : .dim)
            x += grid.write(column(pick.item.location ?? "—", 10), x: x, y: y, role: selected ? .selected : done ? .dim : .accent)
            let room = max(4, rect.width - x - tail - 1)
            x += grid.write(column(OrderFormat.name(pick.item), room), x: x, y: y, role: role)
            x += grid.write(column(OrderFormat.conditions(pick.item.record), 8), x: x, y: y, role: role)
            x += grid.write(column(pick.orderID, 13), x: x, y: y, role: role)
            grid.write(pick.buyer ?? "", x: x, y: y, role: role, limit: max(0, rect.width - x - 1))
        }
    }
}

/// A table cell: `text` cut to leave one space before the next column.
private func column(_ text: String, _ width: Int) -> String {
    DisplayWidth.fit(text, to: max(1, width - 1)) + " "
}
