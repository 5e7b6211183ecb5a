import Foundation
import WaxPresentation
import WaxStore
import WaxText

enum StatusBar {
    /// The sync's state in one line.
    static func syncText(_ state: AppState) -> (String, StyleRole) {
        let sync = state.sync
        if let busy = sync.busyMessage(now: state.now) { return (busy, .statusError) }
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

    /// Hints for the keys that matter where the keyboard is, from the command registry; while
    /// text is typed, what ends it (the line was empty while a value list was narrowed).
    static func hints(_ state: AppState) -> [(String, String)] {
        if state.typing == .narrowing { return [("↑↓", "move"), ("Enter", "choose"), ("Esc", "clear")] }
        if state.typing == .search { return [("↑↓", "move"), ("Enter", "keep"), ("Esc", "clear")] }
        if case .range? = state.typing { return [("Enter", "set"), ("Esc", "cancel")] }
        if state.overlay == .intake, let form = state.intake { return IntakeModel.hints(form) }
        if state.overlay == .reprice, let form = state.reprice { return RepriceModel.hints(form) }
        return CommandRegistry.all.filter { $0.hint && $0.scopes.contains(state.scope) }.map { (CommandRegistry.keyLabel($0).components(separatedBy: " ")[0], $0.title) }
    }

    /// The hints a lost user needs most: kept when others are dropped for room.
    static let essential: Set<String> = ["help", "quit"]

    /// Staff actions Discogs has not confirmed yet (everyone's, from any wax on this mirror).
    static func outboxText(_ state: AppState) -> String? {
        guard state.outboxWaiting > 0 else { return nil }
        let changes = "\(state.outboxWaiting) change\(state.outboxWaiting == 1 ? "" : "s")"
        if let trouble = state.discogsTrouble {
            return "Discogs is not answering (\(trouble.reason) since \(state.time.clock(trouble.since))), \(changes) wait\(state.outboxWaiting == 1 ? "s" : "")"
        }
        return "\(changes) waiting for Discogs"
    }

    /// Double sales nobody resolved: said first, in red, in every browser, until someone does.
    static func alertText(_ state: AppState) -> String? {
        let count = state.orders.doubleSales.count
        guard count > 0 else { return nil }
        return "\(count) DOUBLE SALE\(count == 1 ? "" : "S") to resolve (b)"
    }

    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        grid.fill(x: 0, y: rect.y, width: rect.width, role: .status)
        var (text, role) = syncText(state)
        if let progress = state.repriceProgress { text = progress + " · " + text }
        if let outbox = outboxText(state) {
            text = outbox + " · " + text
            if state.discogsTrouble != nil { role = .statusError }
        }
        if state.orders.newOrders > 0 {
            text = "\(state.orders.newOrders) new order\(state.orders.newOrders == 1 ? "" : "s") (b) · " + text
        }
        if let alert = alertText(state) {
            text = alert + " · " + text
            role = .statusError
        }
        // The sync's state comes first; hints fill what is left. `? help` and `q quit` are
        // kept longest (a lost user needs them most), the others dropped from the right.
        let all = hints(state)
        func width(_ hint: (String, String)) -> Int { DisplayWidth.of(hint.0) + DisplayWidth.of(hint.1) + 3 }
        let textWidth = DisplayWidth.of(text) + 2
        let essentials = all.filter { Self.essential.contains($0.1) }
        let room = max(rect.width - textWidth, min(rect.width / 2, essentials.reduce(0) { $0 + width($1) }))
        var keep = Set<String>()
        var hintWidth = 0
        for hint in essentials + all.filter({ !Self.essential.contains($0.1) }) where hintWidth + width(hint) <= room {
            keep.insert(hint.1)
            hintWidth += width(hint)
        }
        let shown = all.filter { keep.contains($0.1) }
        grid.write(" " + DisplayWidth.truncate(text, to: max(1, rect.width - hintWidth - 2)), x: 0, y: rect.y, role: role)
        var x = rect.width - hintWidth
        for (key, title) in shown {
            x += grid.write(" " + key, x: x, y: rect.y, role: .hintKey)
            x += grid.write(" " + title + " ", x: x, y: rect.y, role: .hint)
        }
    }
}
