import Foundation
import WaxStore
import WaxText

/// `c`: what recent syncs added, repriced and removed, newest first, with each listing's shelf
/// (a sold record's bin is where staff pull it from).
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
        // Columns: time 16, what 16, bin 10, then the name and (for updates) old → new.
        let binX = 35, nameX = 46
        var lastTime = ""
        for (index, row) in state.changes.enumerated().dropFirst(scroll).prefix(visible) {
            let change = row.change
            let y = rect.y + 1 + index - scroll
            let selected = index == state.changesCursor
            let time = change.changedAt.map(state.time.minute) ?? ""
            let (mark, role, what): (String, StyleRole, String) = switch change.kind {
            case .added: ("+", .added, "new")
            case .removed: ("−", .removed, change.field ?? "removed")
            case .updated: ("~", .changed, change.field ?? "changed")
            }
            let rowRole = selected ? StyleRole.selected : role
            let plain = selected ? StyleRole.selected : .normal
            grid.fill(x: 0, y: y, width: rect.width, role: plain)
            grid.write(time == lastTime ? "" : time, x: 1, y: y, role: selected ? .selected : .dim, limit: 16)
            lastTime = time
            grid.write(DisplayWidth.truncate("\(mark) \(what)" + (row.times > 1 ? " ×\(row.times)" : ""), to: 16), x: 18, y: y, role: rowRole)
            grid.write(DisplayWidth.truncate(change.location ?? "", to: 10), x: binX, y: y, role: plain)
            var name = "\(change.artist ?? "?") – \(change.title ?? "?")"
            var detail: String?
            if change.kind == .updated, change.oldValue != nil || change.newValue != nil {
                detail = "\(change.oldValue ?? "—") → \(change.newValue ?? "—")"
            }
            let room = rect.width - nameX - 1
            let detailWidth = detail.map { min(DisplayWidth.of($0), max(0, room - 12)) } ?? 0
            name = DisplayWidth.truncate(name, to: max(4, room - (detail == nil ? 0 : detailWidth + 2)))
            let nameWidth = grid.write(name, x: nameX, y: y, role: plain)
            if let detail, detailWidth > 0 {
                grid.write(DisplayWidth.truncate(detail, to: detailWidth), x: nameX + nameWidth + 2, y: y, role: rowRole)
            }
        }
    }
}
