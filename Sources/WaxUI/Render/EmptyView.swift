import Foundation
import WaxStore
import WaxText

/// What an empty mirror shows: the first sync's progress while it fills, else how to fill it.
enum EmptyView {
    static func lines(_ state: AppState) -> [String] {
        if state.sync.isRunning {
            return [
                "Filling the mirror from Discogs…",
                "",
                StatusBar.syncText(state).0,
                "",
                "The listings appear here as soon as they are in.",
            ]
        }
        return [
            "The mirror is empty.",
            "",
            "To fill it from Discogs: set DISCOGS_TOKEN and DISCOGS_SELLER_USERNAME",
            "(environment or \(state.configFile)), then press s to sync.",
            "",
            "To import the old app's CSV:   wax import FILE.csv",
            "To try wax on a made-up shop:  wax demo",
        ]
    }

    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let lines = lines(state)
        let top = rect.y + max(0, (rect.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < rect.y + rect.height {
            let shown = DisplayWidth.truncate(line, to: max(1, rect.width - 2))
            let x = rect.x + max(1, (rect.width - DisplayWidth.of(shown)) / 2)
            grid.write(shown, x: x, y: top + index, role: index == 0 ? .accent : .normal, limit: rect.width - 1)
        }
    }
}
