/// What a handler needs done after it changed the state (as htop's reactions), with what it
/// asks the mirror for, if anything. `Session` runs the reads, once, whatever number of
/// handlers asked; the terminal loop acts on the rest (drawing, repainting, copying, quitting).
/// Every read implies a redraw, as htop's `HTOP_RECALCULATE` implies `HTOP_REFRESH`.
public struct Effects: Sendable, Equatable, ExpressibleByArrayLiteral {
    public struct Redo: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        static let redraw = Redo(rawValue: 1 << 0)
        static let repaint = Redo(rawValue: 1 << 1 | redraw.rawValue)
        static let copyURL = Redo(rawValue: 1 << 2 | redraw.rawValue)
        static let quit = Redo(rawValue: 1 << 3)
        static let refilter = Redo(rawValue: 1 << 4 | redraw.rawValue)
        static let loadWindow = Redo(rawValue: 1 << 5 | redraw.rawValue)
        static let loadDetail = Redo(rawValue: 1 << 6 | redraw.rawValue)
        static let loadFacets = Redo(rawValue: 1 << 7 | redraw.rawValue)
        static let loadChanges = Redo(rawValue: 1 << 8 | redraw.rawValue)
        static let findSelected = Redo(rawValue: 1 << 9 | redraw.rawValue)
        static let startSync = Redo(rawValue: 1 << 10 | redraw.rawValue)
        static let showSelected = Redo(rawValue: 1 << 11 | redraw.rawValue)
        static let loadOrders = Redo(rawValue: 1 << 12 | redraw.rawValue)
    }

    public var redo: Redo
    /// A staff action to queue, an undo, a pick mark: done by the session, then everything is
    /// read again.
    public var request: CounterRequest?
    /// What the intake form asks Discogs or the mirror: done by the session off the key loop.
    public var intake: IntakeRequest?
    /// A reprice rule to preview over the list on show, or a previewed run to send.
    public var reprice: RepriceRequest?

    public init(_ redo: Redo = [], request: CounterRequest? = nil, intake: IntakeRequest? = nil, reprice: RepriceRequest? = nil) {
        self.redo = redo
        self.request = request
        self.intake = intake
        self.reprice = reprice
    }

    public init(arrayLiteral elements: Effects...) {
        self.init(Redo(), request: nil)
        for element in elements { formUnion(element) }
    }

    // What the terminal does.
    /// Draw the frame again (only what changed reaches the terminal).
    public static let redraw = Effects(.redraw)
    /// Clear the terminal and draw everything (a resize, Ctrl-L, a garbled ssh screen).
    public static let repaint = Effects(.repaint)
    /// Put the selected listing's URL on the user's clipboard (OSC 52).
    public static let copyURL = Effects(.copyURL)
    public static let quit = Effects(.quit)

    // What the session reads from the mirror (each implies a redraw).
    /// The query changed: count again, read the window, keep the selected listing selected.
    public static let refilter = Effects(.refilter)
    /// The visible rows are not all read: read a new window.
    public static let loadWindow = Effects(.loadWindow)
    /// The selection changed: read the selected listing's details.
    public static let loadDetail = Effects(.loadDetail)
    /// The filter pane's counts (read only while it shows).
    public static let loadFacets = Effects(.loadFacets)
    /// The changes view's rows (read only while it shows).
    public static let loadChanges = Effects(.loadChanges)
    /// Select `AppState.selectedID` wherever it is in the result.
    public static let findSelected = Effects(.findSelected)
    public static let startSync = Effects(.startSync)
    /// Open `AppState.selectedID`'s details: selected in the list if it is there, else (sold,
    /// filtered out) on its own.
    public static let showSelected = Effects(.showSelected)
    /// The orders view's orders (and the open order's messages) and the pick list (read only
    /// while one of them shows).
    public static let loadOrders = Effects(.loadOrders)

    /// Everything from the mirror again (`r`, another process committed).
    public static let reload: Effects = [.refilter, .findSelected, .loadDetail, .loadFacets, .loadChanges, .loadOrders]

    /// The effects the terminal loop acts on; the session has done the rest.
    public static let terminal: Effects = [.redraw, .repaint, .copyURL, .quit]

    /// Do `request`, then read everything again.
    public static func perform(_ request: CounterRequest) -> Effects { Effects(.redraw, request: request) }

    public var isEmpty: Bool { redo.isEmpty && request == nil && intake == nil && reprice == nil }

    public func contains(_ other: Effects) -> Bool { redo.isSuperset(of: other.redo) }

    public func union(_ other: Effects) -> Effects {
        Effects(redo.union(other.redo), request: request ?? other.request, intake: intake ?? other.intake, reprice: reprice ?? other.reprice)
    }

    public mutating func formUnion(_ other: Effects) { self = union(other) }

    /// The flags of both (a request goes to the session, never further).
    public func intersection(_ other: Effects) -> Effects { Effects(redo.intersection(other.redo)) }
}
