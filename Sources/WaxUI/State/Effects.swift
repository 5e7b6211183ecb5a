/// What a handler needs done after it changed the state (as htop's reactions): the session
/// performs these, once, whatever number of handlers asked.
public struct Effects: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The query changed: count again, read the window, keep the selected listing selected.
    public static let refilter = Effects(rawValue: 1 << 0)
    /// The visible rows are not all read: read a new window.
    public static let loadWindow = Effects(rawValue: 1 << 1)
    /// The selection changed: read the selected listing's details.
    public static let loadDetail = Effects(rawValue: 1 << 2)
    public static let loadFacets = Effects(rawValue: 1 << 3)
    public static let loadChanges = Effects(rawValue: 1 << 4)
    public static let startSync = Effects(rawValue: 1 << 5)
    public static let copyURL = Effects(rawValue: 1 << 6)
    /// Everything from the mirror again (`r`, another process committed).
    public static let reload = Effects(rawValue: 1 << 7)
    /// Select `AppState.selectedID` wherever it is in the result.
    public static let findSelected = Effects(rawValue: 1 << 8)
    public static let quit = Effects(rawValue: 1 << 9)
    /// Nothing to read, only to draw again.
    public static let redraw = Effects(rawValue: 1 << 10)
    /// The terminal changed size: clear and draw everything.
    public static let resize = Effects(rawValue: 1 << 11)
}
