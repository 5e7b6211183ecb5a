import Foundation
import WaxStore
import WaxText

/// The line above the status bar: the search being typed, a range being typed, or a message.
enum PromptView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        if let prompt = state.counterPrompt {
            let question = CounterModel.question(prompt)
            let x = grid.write(" " + DisplayWidth.truncate(question, to: max(1, rect.width - 12)), x: 0, y: rect.y, role: .prompt)
            if prompt.step == .typing {
                grid.write(prompt.text + "▏", x: x, y: rect.y, role: .normal, limit: max(0, rect.width - x))
                // What was wrong with the value typed, else what the keys do.
                let note = (state.message ?? "Enter: next · Esc: cancel") + " "
                if x + DisplayWidth.of(prompt.text) + DisplayWidth.of(note) + 2 < rect.width {
                    grid.write(note, x: rect.width - DisplayWidth.of(note), y: rect.y, role: state.message == nil ? .dim : .statusError)
                }
            }
        } else if let field = state.rangeEditing {
            let name = "\(field.upper ? "max" : "min") \(field.kind.rawValue)"
            let x = grid.write(" \(name): ", x: 0, y: rect.y, role: .prompt)
            grid.write(state.rangeText + "▏", x: x, y: rect.y, role: .normal)
        } else if state.searchEditing {
            let x = grid.write(" / ", x: 0, y: rect.y, role: .prompt)
            grid.write(state.query.text + "▏", x: x, y: rect.y, role: .normal, limit: rect.width - x)
            let note = "Enter keeps · Esc clears "
            grid.write(note, x: rect.width - DisplayWidth.of(note), y: rect.y, role: .dim)
        } else if let message = state.message {
            grid.write(" " + DisplayWidth.truncate(message, to: max(1, rect.width - 2)), x: 0, y: rect.y, role: state.messageIsError ? .statusError : .accent)
        }
    }
}
