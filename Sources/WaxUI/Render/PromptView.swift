import Foundation
import WaxStore
import WaxText

/// The line above the status bar: the search being typed, a range being typed, or a message.
enum PromptView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        if let prompt = state.counterPrompt {
            let question = CounterModel.question(prompt, soldInShop: state.soldInShop, undoing: state.undoTarget)
            if prompt.step == .confirming {
                // Wrapped over the lines the layout gave it: the record and the y/n both show.
                let lines = DisplayWidth.wrap(question, to: max(10, rect.width - 2))
                for (n, line) in lines.prefix(rect.height).enumerated() {
                    grid.fill(x: 0, y: rect.y + n, width: rect.width, role: .normal)
                    grid.write(" " + line, x: 0, y: rect.y + n, role: .prompt)
                }
                return
            }
            let x = grid.write(" " + DisplayWidth.truncate(question, to: max(1, rect.width - (prompt.step == .typing ? 12 : 2))), x: 0, y: rect.y, role: .prompt)
            if prompt.step == .typing {
                // A value the first key replaces is shown selected, as a form shows one.
                let used = grid.write(prompt.text, x: x, y: rect.y, role: prompt.replacesOnTyping ? .selected : .normal, limit: max(0, rect.width - x))
                grid.write("▏", x: x + used, y: rect.y, role: .normal, limit: max(0, rect.width - x - used))
                // What was wrong with the value typed, else what the keys do.
                let note = (state.message ?? CounterModel.typingNote(prompt)) + " "
                if x + DisplayWidth.of(prompt.text) + DisplayWidth.of(note) + 2 < rect.width {
                    grid.write(note, x: rect.width - DisplayWidth.of(note), y: rect.y, role: state.message == nil ? .dim : .statusError)
                }
            }
        } else if case .range(let field, let text)? = state.typing {
            let name = "\(field.upper ? "max" : "min") \(field.kind.rawValue)"
            let x = grid.write(" \(name): ", x: 0, y: rect.y, role: .prompt)
            grid.write(text + "▏", x: x, y: rect.y, role: .normal)
        } else if state.typing == .search {
            let x = grid.write(" / ", x: 0, y: rect.y, role: .prompt)
            grid.write(state.query.text + "▏", x: x, y: rect.y, role: .normal, limit: rect.width - x)
            let note = "Enter keeps · Esc clears "
            grid.write(note, x: rect.width - DisplayWidth.of(note), y: rect.y, role: .dim)
        } else if let message = state.message {
            // Wrapped, never cut mid-sentence: the end of a conflict says nothing was changed.
            var lines = DisplayWidth.wrap(message, to: max(10, rect.width - 2))
            if lines.count > rect.height, rect.height > 0 {
                lines = Array(lines.prefix(rect.height))
                lines[lines.count - 1] = DisplayWidth.truncate(lines[lines.count - 1] + " …", to: max(1, rect.width - 2))
            }
            for (n, line) in lines.enumerated() {
                grid.fill(x: 0, y: rect.y + n, width: rect.width, role: .normal)
                grid.write(" " + line, x: 0, y: rect.y + n, role: state.messageIsError ? .statusError : .accent)
            }
        }
    }

    /// What a question shows whole above it (the comments being replaced, and the new ones),
    /// in a box over the body.
    static func drawDetails(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        guard let prompt = state.counterPrompt else { return }
        let width = max(10, rect.width - 4)
        let lines = CounterModel.details(prompt).flatMap { DisplayWidth.wrap($0, to: width) }
        guard !lines.isEmpty else { return }
        let shown = Array(lines.prefix(max(1, rect.y - 3)))
        let top = max(1, rect.y - shown.count - 2)
        for y in top..<rect.y { grid.fill(x: 0, y: y, width: rect.width, role: .overlay) }
        for (n, line) in shown.enumerated() { grid.write(line, x: 2, y: top + 1 + n, role: .overlay, limit: width) }
    }

    /// The numbered choices of a question (an order's next statuses), in a box over the body,
    /// just above the question.
    static func drawChoices(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        guard let prompt = state.counterPrompt, prompt.step == .choosing, case .orderStatus(let choice) = prompt.intent else { return }
        let lines = choice.choices.enumerated().map { " \($0.offset + 1)  \($0.element) " }
        let width = min(rect.width, (lines.map { DisplayWidth.of($0) }.max() ?? 10) + 2)
        let top = max(1, rect.y - lines.count - 2)
        for y in top..<(top + lines.count + 2) where y < rect.y { grid.fill(x: 0, y: y, width: width, role: .overlay) }
        grid.write(" \(choice.orderID) → ", x: 1, y: top, role: .overlayTitle, limit: width - 2)
        for (n, line) in lines.enumerated() where top + 1 + n < rect.y {
            grid.write(line, x: 1, y: top + 1 + n, role: .overlay, limit: width - 2)
            grid.write("\(n + 1)", x: 2, y: top + 1 + n, role: .hintKey)
        }
    }
}
