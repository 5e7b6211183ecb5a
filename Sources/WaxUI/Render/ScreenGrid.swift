import Foundation
import WaxPresentation
import WaxText

/// What a style role is for; the theme gives each its colours.
public enum StyleRole: String, Sendable, CaseIterable {
    case normal, header, headerAccent, columns, selected, selectedUnfocused, dim, accent, rule
    case label, value, removed, active, status, statusRunning, statusError, hint, hintKey
    case prompt, overlay, overlayTitle, added, changed

    /// The style of a line the presentation layer marked.
    init(_ emphasis: Emphasis) {
        self = switch emphasis {
        case .normal: .normal
        case .label: .label
        case .dim: .dim
        case .alert: .statusError
        }
    }
}

/// A screen in memory: every cell has a character and a style role. Rendering writes here;
/// the curses driver copies it to the terminal; golden tests compare its text.
public struct ScreenGrid: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        /// The character drawn here; empty for the second cell of a wide character.
        public var text: String
        public var role: StyleRole
    }

    public let columns: Int
    public let rows: Int
    public private(set) var cells: [[Cell]]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        cells = Array(repeating: Array(repeating: Cell(text: " ", role: .normal), count: max(0, columns)), count: max(0, rows))
    }

    /// Writes `text` from (x, y), cut by display width at `limit` cells (or the edge), and
    /// returns the cells used. A wide character never straddles the limit.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, role: StyleRole = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < rows, x < columns else { return 0 }
        let end = min(columns, limit.map { x + $0 } ?? columns)
        var column = x
        for character in text {
            let width = DisplayWidth.of(String(character))
            if width == 0 {
                // A combining mark joins the previous character.
                if column > x, column - 1 < columns, column - 1 >= 0 { cells[y][column - 1].text.append(character) }
                continue
            }
            if column + width > end { break }
            if column >= 0 {
                cells[y][column] = Cell(text: String(character), role: role)
                if width == 2, column + 1 < columns { cells[y][column + 1] = Cell(text: "", role: role) }
            }
            column += width
        }
        return column - x
    }

    /// Fills a stretch of a row with spaces in a role (a selected row's background).
    public mutating func fill(x: Int, y: Int, width: Int, role: StyleRole) {
        guard y >= 0, y < rows else { return }
        for column in max(0, x)..<max(max(0, x), min(columns, x + width)) {
            cells[y][column] = Cell(text: " ", role: role)
        }
    }

    /// Writes text padded (or cut with …) to exactly `width` cells.
    public mutating func write(fitting text: String, x: Int, y: Int, width: Int, role: StyleRole, alignRight: Bool = false) {
        fill(x: x, y: y, width: width, role: role)
        write(DisplayWidth.fit(text, to: width, alignRight: alignRight), x: x, y: y, role: role, limit: width)
    }

    public func line(_ y: Int) -> String {
        cells[y].map(\.text).joined()
    }

    /// The screen as text, trailing spaces trimmed: what golden files hold.
    public var text: String {
        (0..<rows).map { line($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
    }
}
