import Foundation
import WaxPresentation
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
        let shown = Array(state.changes.enumerated().dropFirst(scroll).prefix(visible))
        func what(_ row: ChangeRow) -> String { ChangeText.what(row.change) + (row.times > 1 ? " ×\(row.times)" : "") }
        // Columns: time 16, what (as wide as its longest on screen, within reason), bin 10,
        // then the name and the detail (old → new, who).
        let whatWidth = min(max(12, shown.map { DisplayWidth.of(what($0.element)) + 2 }.max() ?? 12), max(16, rect.width * 2 / 5))
        let binX = 18 + whatWidth + 1, nameX = binX + 11
        var lastTime = ""
        for (index, row) in shown {
            let change = row.change
            let y = rect.y + 1 + index - scroll
            let selected = index == state.changesCursor
            let time = change.changedAt.map(state.time.minute) ?? ""
            let (mark, role): (String, StyleRole) = switch change.kind {
            case .added: ("+", .added)
            case .removed: ("−", .removed)
            case .updated: ("~", .changed)
            }
            let rowRole = selected ? StyleRole.selected : role
            let plain = selected ? StyleRole.selected : .normal
            grid.fill(x: 0, y: y, width: rect.width, role: plain)
            grid.write(time == lastTime ? "" : time, x: 1, y: y, role: selected ? .selected : .dim, limit: 16)
            lastTime = time
            grid.write(DisplayWidth.truncate("\(mark) \(what(row))", to: whatWidth), x: 18, y: y, role: rowRole)
            grid.write(DisplayWidth.truncate(change.location ?? "", to: 10), x: binX, y: y, role: plain)
            var name = ListingFormat.name(artist: change.artist, title: change.title)
            let detail = ChangeText.detail(change)
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
