/// What a handler needs done after it changed the state (as htop's reactions). `Session` runs
/// the reads, once, whatever number of handlers asked; the terminal loop acts on the rest
/// (drawing, repainting, copying, quitting). Every read implies a redraw, as htop's
/// `HTOP_RECALCULATE` implies `HTOP_REFRESH`.
public struct Effects: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    // What the terminal does.
    /// Draw the frame again (only what changed reaches the terminal).
    public static let redraw = Effects(rawValue: 1 << 0)
    /// Clear the terminal and draw everything (a resize, Ctrl-L, a garbled ssh screen).
    public static let repaint = Effects(rawValue: 1 << 1 | redraw.rawValue)
    /// Put the selected listing's URL on the user's clipboard (OSC 52).
    public static let copyURL = Effects(rawValue: 1 << 2 | redraw.rawValue)
    public static let quit = Effects(rawValue: 1 << 3)

    // What the session reads from the mirror (each implies a redraw).
    /// The query changed: count again, read the window, keep the selected listing selected.
    public static let refilter = Effects(rawValue: 1 << 4 | redraw.rawValue)
    /// The visible rows are not all read: read a new window.
    public static let loadWindow = Effects(rawValue: 1 << 5 | redraw.rawValue)
    /// The selection changed: read the selected listing's details.
    public static let loadDetail = Effects(rawValue: 1 << 6 | redraw.rawValue)
    /// The filter pane's counts (read only while it shows).
    public static let loadFacets = Effects(rawValue: 1 << 7 | redraw.rawValue)
    /// The changes view's rows (read only while it shows).
    public static let loadChanges = Effects(rawValue: 1 << 8 | redraw.rawValue)
    /// Select `AppState.selectedID` wherever it is in the result.
    public static let findSelected = Effects(rawValue: 1 << 9 | redraw.rawValue)
    public static let startSync = Effects(rawValue: 1 << 10 | redraw.rawValue)
    /// Open `AppState.selectedID`'s details: selected in the list if it is there, else (sold,
    /// filtered out) on its own.
    public static let showSelected = Effects(rawValue: 1 << 11 | redraw.rawValue)

    /// Do `AppState.counterRequest` (queue a staff action, or undo one) and read again.
    public static let act = Effects(rawValue: 1 << 12 | redraw.rawValue)

    /// The orders view's orders (and the open order's messages) and the pick list (read only
    /// while one of them shows).
    public static let loadOrders = Effects(rawValue: 1 << 13 | redraw.rawValue)

    /// Everything from the mirror again (`r`, another process committed).
    public static let reload: Effects = [.refilter, .findSelected, .loadDetail, .loadFacets, .loadChanges, .loadOrders]

    /// The effects the terminal loop acts on; the session has done the rest.
    public static let terminal: Effects = [.redraw, .repaint, .copyURL, .quit]
}
