import Foundation
import WaxStore

/// What a staff member was looking at when they quit: the search, the filters, the sort, the
/// filter tab and the selected listing. Kept per user (in their XDG state folder) and put back
/// at the next start, so a dropped ssh session costs nothing.
public struct SavedView: Codable, Sendable, Equatable {
    public var query: ListingQuery
    public var filterKind: String
    public var selectedID: Int64?

    public init(_ state: AppState) {
        var query = state.query
        query.limit = nil
        query.offset = 0
        // A scanned code (a barcode, a listing id) was a one-off lookup: the record it opened is
        // usually sold by the next start, which then opened on "nothing matches".
        if query.text.allSatisfy(\.isNumber) { query.text = "" }
        self.query = query
        filterKind = state.filterKind.rawValue
        selectedID = state.selected?.id ?? state.selectedID
    }

    /// Puts the view back into a fresh state (the session then reads what it selects).
    func restore(into state: inout AppState) {
        state.query = query
        state.filterKind = FilterKind(rawValue: filterKind) ?? .artist
        state.selectedID = selectedID
    }

    public var json: Data { (try? JSONEncoder().encode(self)) ?? Data() }

    /// Nil when the data is not a saved view (a file from another version, a damaged one).
    public static func decode(_ data: Data) -> SavedView? { try? JSONDecoder().decode(SavedView.self, from: data) }
}
