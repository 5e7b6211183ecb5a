import Foundation
import WaxText

/// `?`: every command from the registry, grouped, over the screen. Help sentences are wrapped,
/// never cut; when they do not all fit (80×24 holds about a third of them) the box scrolls, as
/// gitui's help does, so every command can be reached.
enum HelpView {
    /// One line of the help: a group's title, a command's keys with the first line of its
    /// sentence, or a further line of a sentence.
    struct Row: Equatable {
        var keys = ""
        var text = ""
        var isTitle = false
    }

    struct Box {
        var left: Int, top: Int, width: Int, height: Int
        var keyWidth: Int, columnWidth: Int
        /// One or two columns of rows, scrolled together.
        var columns: [[Row]]
        /// Rows shown at once.
        var visible: Int { max(1, height - 3) }
        var rowCount: Int { columns.map(\.count).max() ?? 0 }
        var maxScroll: Int { max(0, rowCount - visible) }
    }

    static func box(_ state: AppState) -> Box {
        let groups = CommandSpec.Group.allCases.map { group in (group, CommandRegistry.all.filter { $0.group == group }) }
        let keyWidth = min(16, (CommandRegistry.all.map { DisplayWidth.of(CommandRegistry.keyLabel($0)) }.max() ?? 8)) + 2
        let longest = CommandRegistry.all.map { DisplayWidth.of($0.help) }.max() ?? 20
        // Two columns (the groups in order, split where they balance) when they fit.
        let twoColumns = state.columns >= 2 * (keyWidth + 20) + 5
        let room = twoColumns ? (state.columns - 5) / 2 : state.columns - 4
        let columnWidth = min(room, keyWidth + longest)
        let textWidth = max(8, columnWidth - keyWidth)
        let blocks: [[Row]] = groups.map { group, specs in
            [Row(keys: group.rawValue, isTitle: true)] + specs.flatMap { spec in
                DisplayWidth.wrap(spec.help, to: textWidth).enumerated().map { n, line in
                    Row(keys: n == 0 ? CommandRegistry.keyLabel(spec) : "", text: line)
                }
            }
        }
        func stacked(_ blocks: ArraySlice<[Row]>) -> [Row] { Array(blocks.dropLast().flatMap { $0 + [Row()] } + (blocks.last ?? [])) }
        let columns: [[Row]] = twoColumns
            ? (1..<blocks.count).map { [stacked(blocks[..<$0]), stacked(blocks[$0...])] }.min { tallest($0) < tallest($1) }!
            : [stacked(blocks[...])]
        // When the columns take all the room, the box takes the whole width (a column left over
        // would show the list through it).
        let width = columnWidth == room ? state.columns : (twoColumns ? columnWidth * 2 + 5 : columnWidth + 4)
        let height = min(state.rows - 2, tallest(columns) + 3)
        return Box(left: max(0, (state.columns - width) / 2), top: max(1, (state.rows - height) / 2), width: width, height: height,
                   keyWidth: keyWidth, columnWidth: columnWidth, columns: columns)
    }

    private static func tallest(_ columns: [[Row]]) -> Int { columns.map(\.count).max() ?? 0 }

    /// How far the help scrolls at this size (for clamping).
    static func maxScroll(_ state: AppState) -> Int { box(state).maxScroll }

    static func draw(_ state: AppState, into grid: inout ScreenGrid) {
        let box = box(state)
        let scroll = min(state.helpScroll, box.maxScroll)
        // The whole box is painted: nothing of the list shows through.
        for y in box.top..<(box.top + box.height) { grid.fill(x: box.left, y: y, width: box.width, role: .overlay) }
        let title = box.maxScroll > 0
            ? " wax — keys, \(scroll + 1)–\(min(box.rowCount, scroll + box.visible)) of \(box.rowCount) (↓ ↑ PgDn PgUp scroll, any other key closes) "
            : " wax — keys (any other key closes this) "
        grid.write(title, x: box.left + 2, y: box.top, role: .overlayTitle, limit: box.width - 3)
        for (index, column) in box.columns.enumerated() {
            let x = box.left + 2 + index * (box.columnWidth + 1)
            for (n, row) in column.dropFirst(scroll).prefix(box.visible).enumerated() {
                let y = box.top + 2 + n
                if row.isTitle {
                    grid.write(row.keys, x: x, y: y, role: .overlayTitle, limit: box.columnWidth)
                    continue
                }
                grid.write(row.keys, x: x + 1, y: y, role: .hintKey, limit: box.keyWidth - 2)
                grid.write(row.text, x: x + box.keyWidth, y: y, role: .overlay, limit: box.columnWidth - box.keyWidth)
            }
        }
        if scroll < box.maxScroll {
            grid.write("↓ more", x: box.left + box.width - 9, y: box.top + box.height - 1, role: .overlayTitle)
        }
    }
}
