import CNcursesw
import Foundation
import WaxUI

public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
}

/// The only code that talks to curses. One instance, used from the UI loop's thread only
/// (ncurses is not thread-safe); everything else hands it finished `ScreenGrid`s.
public final class Terminal {
    private var screen: OpaquePointer?
    private var roles: [StyleRole: (attributes: attr_t, pair: Int16)] = [:]
    private var previous: ScreenGrid?
    public private(set) var columns = 0
    public private(set) var rows = 0
    public private(set) var colors = 0
    /// The terminal went away (an ssh session dropped, its pty closed): reads return at once
    /// with nothing, and a loop that kept reading would spin. The loop ends instead.
    public private(set) var hungUp = false

    /// Everything the browser needs before it takes the screen, each a one-line refusal: a
    /// UTF-8 locale, a terminal type this machine knows that can move the cursor, and a
    /// terminal on both standard input and output (`wax < /dev/null` or `echo | wax` would
    /// otherwise draw escape codes into a pipe and read nothing, for ever).
    public static func preflight() throws {
        setlocale(LC_ALL, "")
        // Without a UTF-8 character set curses silently drops every accent ("Beyonc").
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8", setlocale(LC_CTYPE, "C.UTF-8") == nil {
            throw TerminalError(description: "wax needs a UTF-8 locale: set LANG=C.UTF-8 (or another .UTF-8 locale)")
        }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        switch term.isEmpty ? 0 : ncw_terminal_known(term) {
        case 1:
            break
        case 2:
            throw TerminalError(description: "the terminal \"\(term)\" (TERM) cannot move the cursor: wax needs a full-screen terminal, e.g. TERM=xterm-256color")
        default:
            throw TerminalError(description: "unknown terminal type \"\(term)\" (TERM): set TERM to one this machine knows, e.g. xterm-256color")
        }
        for (fd, name) in [(STDIN_FILENO, "standard input"), (STDOUT_FILENO, "standard output")] where isatty(fd) != 1 {
            throw TerminalError(description: "the browser needs a terminal, and \(name) is not one: run wax from a terminal (wax search, wax show and --json are for scripts)")
        }
    }

    public init(theme: Theme) throws {
        try Self.preflight()
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard let screen = ncw_newterm() else {
            throw TerminalError(description: "cannot start the terminal \"\(term)\"")
        }
        self.screen = screen
        if ProcessInfo.processInfo.environment["ESCDELAY"] == nil { set_escdelay(25) }
        raw()               // Ctrl-C arrives as a key (it quits); SIGINT from `kill` still works
        noecho()
        nonl()
        keypad(ncw_stdscr(), true)
        ncw_define_extra_keys()
        intrflush(ncw_stdscr(), false)
        curs_set(0)
        // No mousemask: text selection keeps working over ssh.
        setUpColours(theme)
        updateSize()
    }

    private func setUpColours(_ chosen: Theme) {
        let hasColours = has_colors() && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        if hasColours {
            start_color()
            use_default_colors()
            colors = Int(ncw_colors())
        }
        // Without colours (vt100, NO_COLOR) a theme's colours would leave the selected row
        // looking like any other: attributes only (reverse video for the selection).
        let theme = hasColours ? chosen : Theme.builtInMono
        for (index, role) in StyleRole.allCases.enumerated() {
            let style = theme.style(role)
            var attributes = ncw_a_normal()
            if style.bold { attributes |= ncw_a_bold() }
            if style.dim { attributes |= ncw_a_dim() }
            if style.underline { attributes |= ncw_a_underline() }
            if style.reverse { attributes |= ncw_a_reverse() }
            var pair: Int16 = 0
            if hasColours, index + 1 < Int(ncw_color_pairs()) {
                pair = Int16(index + 1)
                let numbers = style.colorNumbers(forColors: colors)
                init_pair(pair, numbers.foreground, numbers.background)
            }
            roles[role] = (attributes, pair)
        }
    }

    public func updateSize() {
        var y: Int32 = 0, x: Int32 = 0
        ncw_getmaxyx(ncw_stdscr(), &y, &x)
        rows = Int(y)
        columns = Int(x)
        previous = nil
    }

    /// Waits up to `milliseconds` for a key; nil when none came.
    public func readKey(timeout milliseconds: Int32) -> Key? {
        wtimeout(ncw_stdscr(), milliseconds)
        var character: wint_t = 0
        let result = wget_wch(ncw_stdscr(), &character)
        if result == ERR {
            if Self.inputGone() { hungUp = true }
            return nil
        }
        if result == ncw_key_code_yes() {
            switch Int32(character) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_NPAGE: return .pageDown
            case KEY_PPAGE: return .pageUp
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_RESIZE:
                updateSize()
                return .resize(columns: columns, rows: rows)
            default: return nil
            }
        }
        return Key.from(scalar: UInt32(character))
    }

    /// Whether standard input has hung up (its pty closed, its pipe's writer gone): `poll`
    /// says so at once, where a read would just return nothing again.
    static func inputGone() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return errno != EINTR }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Draws everything again at the next `draw` (Ctrl-L: a screen garbled by line noise).
    public func repaint() {
        ncw_clear_on_next_refresh()
        previous = nil
    }

    /// Copies a grid to the terminal, redrawing only rows that changed.
    public func draw(_ grid: ScreenGrid) {
        let full = previous == nil || previous?.columns != grid.columns || previous?.rows != grid.rows
        if full { erase() }
        for y in 0..<min(grid.rows, rows) where full || previous?.cells[y] != grid.cells[y] {
            drawRow(grid.cells[y], y: y, limit: columns)
        }
        previous = grid
        refresh()
    }

    private func drawRow(_ cells: [ScreenGrid.Cell], y: Int, limit: Int) {
        var x = 0
        var start = 0
        while start < min(cells.count, limit) {
            let role = cells[start].role
            var end = start
            var text: [wchar_t] = []
            while end < min(cells.count, limit) && cells[end].role == role {
                for scalar in cells[end].text.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
                end += 1
            }
            let (attributes, pair) = roles[role] ?? (ncw_a_normal(), 0)
            _ = ncw_add_wide(Int32(y), Int32(x), text, Int32(text.count), attributes, pair)
            x = end
            start = end
        }
    }

    /// OSC 52: asks the terminal (the staff member's, at the other end of ssh) to put `text` on
    /// its clipboard. tmux passes it on with `set -g set-clipboard on`.
    public func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}"
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    /// Restores the terminal as it was.
    public func end() {
        guard let screen else { return }
        curs_set(1)
        endwin()
        delscreen(screen)
        self.screen = nil
    }

    deinit { end() }
}
