import Foundation
import WaxStore
import WaxText

/// `c`: what recent syncs added, repriced and removed.
enum ChangesView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        grid.write(fitting: " Changes: what recent syncs added, repriced and removed (Enter shows the listing, Esc closes)",
                   x: 0, y: rect.y, width: rect.width, role: .columns)
        guard !state.changes.isEmpty else {
            grid.write("No changes recorded in the last 7 days. A sync records what came in, what sold and what was repriced.",
                       x: 1, y: rect.y + 2, role: .dim, limit: rect.width - 2)
            return
        }
        let visible = state.layout.changesRows
        let scroll = max(0, min(state.changesCursor - visible / 2, state.changes.count - visible))
        var lastDay = ""
        for (index, change) in state.changes.enumerated().dropFirst(scroll).prefix(visible) {
            let y = rect.y + 1 + index - scroll
            let selected = index == state.changesCursor
            let stamp = change.changedAt.map(Timestamp.string) ?? ""
            let day = String(stamp.prefix(16)).replacingOccurrences(of: "T", with: " ")
            let (mark, role, what): (String, StyleRole, String) = switch change.kind {
            case .added: ("+", .added, "new")
            case .removed: ("−", .removed, change.field ?? "removed")
            case .updated: ("~", .changed, change.field ?? "changed")
            }
            let rowRole = selected ? StyleRole.selected : role
            grid.fill(x: 0, y: y, width: rect.width, role: selected ? .selected : .normal)
            grid.write(day == lastDay ? "" : day, x: 1, y: y, role: selected ? .selected : .dim, limit: 16)
            lastDay = day
            grid.write("\(mark) \(what)", x: 18, y: y, role: rowRole, limit: 16)
            let name = "\(change.artist ?? "?") – \(change.title ?? "?")"
            var x = 35 + grid.write(name, x: 35, y: y, role: selected ? .selected : .normal, limit: max(10, rect.width - 35 - 28))
            if change.kind == .updated, change.oldValue != nil || change.newValue != nil {
                x += 2
                grid.write("\(change.oldValue ?? "—") → \(change.newValue ?? "—")", x: x, y: y, role: rowRole, limit: rect.width - x - 1)
            }
        }
    }
}
