import Foundation
import WaxStore
import WaxText

/// What an empty mirror shows: how to fill it.
enum EmptyView {
    static let lines = [
        "The mirror is empty.",
        "",
        "To fill it from Discogs: set DISCOGS_TOKEN and DISCOGS_SELLER_USERNAME",
        "(environment or ~/.config/wax/config), then press s to sync.",
        "",
        "To import the old app's CSV:   wax import FILE.csv",
        "To try wax on a made-up shop:  wax demo",
    ]

    static func draw(into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let top = rect.y + max(0, (rect.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < rect.y + rect.height {
            let x = rect.x + max(1, (rect.width - DisplayWidth.of(line)) / 2)
            grid.write(line, x: x, y: top + index, role: index == 0 ? .accent : .normal, limit: rect.width - 1)
        }
    }
}
