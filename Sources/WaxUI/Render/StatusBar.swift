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
