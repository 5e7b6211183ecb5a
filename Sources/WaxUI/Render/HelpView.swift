import Foundation
import WaxText

/// `?`: every command from the registry, grouped, over the screen. Help sentences are wrapped,
/// never cut; on a terminal too small for them, the short titles are shown instead.
enum HelpView {
    private struct Entry {
        var keys: String
        var lines: [String]
        var isTitle = false
    }

    static func draw(_ state: AppState, into grid: inout ScreenGrid) {
        let groups = CommandSpec.Group.allCases.map { group in (group, CommandRegistry.all.filter { $0.group == group }) }
        let keyWidth = min(16, (CommandRegistry.all.map { DisplayWidth.of(CommandRegistry.keyLabel($0)) }.max() ?? 8)) + 2
        let longest = CommandRegistry.all.map { DisplayWidth.of($0.help) }.max() ?? 20
        let available = state.rows - 4
        // Two columns (the groups in order, split where they balance) when they fit, sentences when they fit.
        let twoColumns = state.columns >= 2 * (keyWidth + 20) + 5
        let room = twoColumns ? (state.columns - 5) / 2 : state.columns - 4
        let columnWidth = min(room, keyWidth + longest)
        func layout(sentences: Bool) -> [[Entry]] {
            let textWidth = max(8, columnWidth - keyWidth)
            let blocks = groups.map { group, specs in
                [Entry(keys: group.rawValue, lines: [], isTitle: true)] + specs.map { spec in
                    Entry(keys: CommandRegistry.keyLabel(spec), lines: sentences ? DisplayWidth.wrap(spec.help, to: textWidth) : [spec.title])
                }
            }
            let gap = Entry(keys: "", lines: [""])
            func stacked(_ blocks: ArraySlice<[Entry]>) -> [Entry] { Array(blocks.dropLast().flatMap { $0 + [gap] } + (blocks.last ?? [])) }
            guard twoColumns else { return [stacked(blocks[...])] }
            // Groups in their order, split where the taller column is shortest.
            return (1..<blocks.count).map { [stacked(blocks[..<$0]), stacked(blocks[$0...])] }
                .min { height($0) < height($1) }!
        }
        func height(_ columns: [[Entry]]) -> Int {
            columns.map { $0.reduce(0) { $0 + max(1, $1.lines.count) } }.max() ?? 0
        }
        var columns = layout(sentences: true)
        if height(columns) > available { columns = layout(sentences: false) }

        // When the columns take all the room, the box takes the whole width (a column left over
        // would show the list through it).
        let width = columnWidth == room ? state.columns : (twoColumns ? columnWidth * 2 + 5 : columnWidth + 4)
        let boxHeight = min(state.rows - 2, height(columns) + 3)
        let left = max(0, (state.columns - width) / 2)
        let top = max(1, (state.rows - boxHeight) / 2)
        // The whole box is painted: nothing of the list shows through.
        for y in top..<(top + boxHeight) { grid.fill(x: left, y: y, width: width, role: .overlay) }
        grid.write(" wax — keys (any other key closes this) ", x: left + 2, y: top, role: .overlayTitle, limit: width - 3)
        for (index, column) in columns.enumerated() {
            let x = left + 2 + index * (columnWidth + 1)
            var y = top + 2
            for entry in column {
                guard y < top + boxHeight - 1 else {
                    grid.write("…", x: x, y: top + boxHeight - 2, role: .overlay)
                    break
                }
                if entry.isTitle {
                    grid.write(entry.keys, x: x, y: y, role: .overlayTitle, limit: columnWidth)
                    y += 1
                    continue
                }
                grid.write(entry.keys, x: x + 1, y: y, role: .hintKey, limit: keyWidth - 2)
                for (n, line) in entry.lines.enumerated() where y + n < top + boxHeight - 1 {
                    grid.write(line, x: x + keyWidth, y: y + n, role: .overlay, limit: columnWidth - keyWidth)
                }
                y += max(1, entry.lines.count)
            }
        }
    }
}
