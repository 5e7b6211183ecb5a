import Foundation
import WaxStore
import WaxText

enum StatusBar {
    /// The sync's state in one line.
    static func syncText(_ state: AppState) -> (String, StyleRole) {
        let sync = state.sync
        if let busy = sync.busyMessage { return (busy, .statusError) }
        switch sync.phase {
        case .unavailable:
            return ("sync off: no token or seller set", .status)
        case .failed(let message):
            return ("sync failed: \(message)", .statusError)
        case .running(let what, let progress):
            var text = "⟳ " + what
            if let progress {
                let filled = Int((progress * 10).rounded())
                text = "⟳ [" + String(repeating: "█", count: filled) + String(repeating: "░", count: 10 - filled) + "] " + what
            }
            if let detail = sync.detail { text += " · " + detail }
            return (text, .statusRunning)
        case .idle:
            guard let finished = sync.lastFinished else { return ("not synced yet", .status) }
            var text = "last sync \(ListingFormat.ago(finished, now: state.now))"
            if let counts = sync.lastCounts { text += ": +\(counts.added) −\(counts.removed) ~\(counts.updated)" }
            return (text, .status)
        }
    }

    /// Hints for the keys that matter where the keyboard is, from the command registry.
    static func hints(_ state: AppState) -> [(String, String)] {
        CommandRegistry.all.filter { $0.hint && $0.scopes.contains(state.scope) }.map { (CommandRegistry.keyLabel($0).components(separatedBy: " ")[0], $0.title) }
    }

    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        grid.fill(x: 0, y: rect.y, width: rect.width, role: .status)
        let (text, role) = syncText(state)
        // The sync's state comes first; hints fill what is left, dropped from the right, but
        // `? help` stays whenever there are 16 cells for it.
        var hints = hints(state)
        let textWidth = DisplayWidth.of(text) + 2
        var room = rect.width - textWidth
        if room < 16, let help = hints.first(where: { $0.1 == "help" }) {
            hints = [help]
            room = 16
        }
        var hintWidth = 0
        var shown: [(String, String)] = []
        for hint in hints {
            let w = DisplayWidth.of(hint.0) + DisplayWidth.of(hint.1) + 3
            if hintWidth + w > room { break }
            shown.append(hint)
            hintWidth += w
        }
        grid.write(" " + DisplayWidth.truncate(text, to: max(1, rect.width - hintWidth - 2)), x: 0, y: rect.y, role: role)
        var x = rect.width - hintWidth
        for (key, title) in shown {
            x += grid.write(" " + key, x: x, y: rect.y, role: .hintKey)
            x += grid.write(" " + title + " ", x: x, y: rect.y, role: .hint)
        }
    }
}

enum HelpView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid) {
        // Two columns (Move and Find | View and Shop), help sentences when they fit, titles when not.
        let columnWidth = min(58, (state.columns - 5) / 2)
        let full = columnWidth >= 56
        var blocks: [[(String, String, Bool)]] = []   // key, text, isGroupTitle
        for group in CommandSpec.Group.allCases {
            var block: [(String, String, Bool)] = [(group.rawValue, "", true)]
            for spec in CommandRegistry.all where spec.group == group {
                block.append((CommandRegistry.keyLabel(spec), full ? spec.help : spec.title, false))
            }
            blocks.append(block)
        }
        let columns = [blocks[0] + [("", "", false)] + blocks[1], blocks[2] + [("", "", false)] + blocks[3]]
        let height = min(state.rows - 2, (columns.map(\.count).max() ?? 0) + 3)
        let width = columnWidth * 2 + 5
        let left = max(0, (state.columns - width) / 2)
        let top = max(1, (state.rows - height) / 2)
        for y in top..<(top + height) { grid.fill(x: left, y: y, width: width, role: .overlay) }
        grid.write(" wax — keys (any key closes) ", x: left + 2, y: top, role: .overlayTitle)
        for (c, column) in columns.enumerated() {
            let x = left + 2 + c * (columnWidth + 1)
            for (row, entry) in column.enumerated() where top + 2 + row < top + height {
                let y = top + 2 + row
                if entry.2 {
                    grid.write(entry.0, x: x, y: y, role: .overlayTitle, limit: columnWidth)
                } else {
                    grid.write(entry.0, x: x + 1, y: y, role: .hintKey, limit: 13)
                    grid.write(entry.1, x: x + 15, y: y, role: .overlay, limit: columnWidth - 15)
                }
            }
        }
    }
}

enum ChangesView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        grid.write(fitting: " Changes: what recent syncs added, repriced and removed (Enter shows the listing, Esc closes)",
                   x: 0, y: rect.y, width: rect.width, role: .columns)
        guard !state.changes.isEmpty else {
            grid.write("No changes recorded in the last 7 days. A sync records what came in, what sold and what was repriced.",
                       x: 1, y: rect.y + 2, role: .dim, limit: rect.width - 2)
            return
        }
        let visible = rect.height - 1
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
