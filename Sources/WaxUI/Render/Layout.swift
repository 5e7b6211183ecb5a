/// Where each part of the screen goes, for a terminal size. Wide terminals show the list and
/// the detail (or filter) pane side by side; narrow ones show one at a time.
public struct Layout: Sendable, Equatable {
    public struct Rect: Sendable, Equatable {
        public var x, y, width, height: Int
        public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)
    }

    /// Side by side from this width on.
    public static let splitWidth = 140

    public var header: Rect
    public var list: Rect
    /// The detail or filter pane (zero when hidden).
    public var side: Rect
    /// The lines above the status bar: the search or a question being typed, or a message
    /// (as many lines as it needs, up to `maxMessageLines`: a conflict's "nothing was changed"
    /// must not be cut off at 80 columns).
    public var searchLine: Rect
    public var status: Rect
    public var split: Bool
    /// Everything between the header and the bottom lines (a full-width view: the changes).
    public var body: Rect

    /// A message longer than this many lines is cut (with "…").
    public static let maxMessageLines = 4

    public init(columns: Int, rows: Int, detailOpen: Bool, filterOpen: Bool, promptLines: Int) {
        let width = max(1, columns)
        let lines = max(0, min(promptLines, Self.maxMessageLines, rows - 3))
        header = Rect(x: 0, y: 0, width: width, height: 1)
        status = Rect(x: 0, y: max(0, rows - 1), width: width, height: rows > 1 ? 1 : 0)
        searchLine = lines > 0 ? Rect(x: 0, y: max(0, rows - 1 - lines), width: width, height: lines) : .zero
        let bodyTop = 1
        let bodyHeight = max(0, rows - 2 - lines)
        body = Rect(x: 0, y: bodyTop, width: width, height: bodyHeight)
        split = width >= Self.splitWidth
        if split {
            // The side pane takes two fifths; a one-column rule separates them.
            let sideWidth = (width * 2) / 5
            list = Rect(x: 0, y: bodyTop, width: width - sideWidth - 1, height: bodyHeight)
            side = Rect(x: width - sideWidth, y: bodyTop, width: sideWidth, height: bodyHeight)
        } else if detailOpen || filterOpen {
            list = .zero
            side = Rect(x: 0, y: bodyTop, width: width, height: bodyHeight)
        } else {
            list = Rect(x: 0, y: bodyTop, width: width, height: bodyHeight)
            side = .zero
        }
    }

    /// Rows of listings the list shows (one line goes to the column titles).
    public var listRows: Int { max(0, list.height - 1) }

    /// Rows of changes the changes view shows (below its title line).
    public var changesRows: Int { max(1, body.height - 1) }
}
