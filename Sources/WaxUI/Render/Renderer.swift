import Foundation
import WaxStore
import WaxText

/// Draws a state into a grid. Pure: the same state gives the same screen, which is what the
/// golden tests check and why the curses driver can redraw whenever it likes.
public enum Renderer {
    public static func render(_ state: AppState) -> ScreenGrid {
        var grid = ScreenGrid(columns: state.columns, rows: state.rows)
        guard state.columns >= 20, state.rows >= 6 else {
            grid.write("wax needs at least 20×6", x: 0, y: 0, role: .statusError)
            return grid
        }
        let layout = state.layout
        HeaderView.draw(state, into: &grid, layout.header)
        if state.overlay == .changes {
            ChangesView.draw(state, into: &grid, layout.body)
        } else if state.overlay == .orders {
            OrdersView.draw(state, into: &grid, layout.body)
        } else if state.overlay == .pickList {
            PickListView.draw(state, into: &grid, layout.body)
        } else if state.overlay == .intake {
            IntakeView.draw(state, into: &grid, layout.body)
        } else if state.overlay == .reprice {
            RepriceView.draw(state, into: &grid, layout.body)
        } else {
            if layout.list.width > 0 {
                if state.emptyMirror {
                    EmptyView.draw(state, into: &grid, layout.list)
                } else {
                    ListView.draw(state, into: &grid, layout.list)
                }
            }
            if layout.split {
                for y in layout.list.y..<(layout.list.y + layout.list.height) {
                    grid.write("│", x: layout.list.width, y: y, role: .rule)
                }
            }
            if layout.side.width > 0 {
                if state.filterOpen {
                    FilterView.draw(state, into: &grid, layout.side)
                } else {
                    DetailView.draw(state, into: &grid, layout.side)
                }
            }
        }
        if layout.searchLine.height > 0 {
            PromptView.draw(state, into: &grid, layout.searchLine)
            PromptView.drawChoices(state, into: &grid, layout.searchLine)
            PromptView.drawDetails(state, into: &grid, layout.searchLine)
        }
        StatusBar.draw(state, into: &grid, layout.status)
        if state.overlay == .help { HelpView.draw(state, into: &grid) }
        return grid
    }
}
