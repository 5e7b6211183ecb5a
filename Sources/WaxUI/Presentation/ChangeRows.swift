import Foundation
import WaxStore

/// The changes view's rows: consecutive changes that say the same thing about the same listing
/// (a listing relisted and sold again by the next syncs) read as one row with a count.
public struct ChangeRow: Sendable, Equatable {
    public var change: ListingChange
    public var times: Int

    public static func collapse(_ changes: [ListingChange]) -> [ChangeRow] {
        var rows: [ChangeRow] = []
        for change in changes {
            if let last = rows.last, last.change.listingID == change.listingID, last.change.kind == change.kind,
               last.change.field == change.field, last.change.oldValue == change.oldValue, last.change.newValue == change.newValue {
                rows[rows.count - 1].times += 1
            } else {
                rows.append(ChangeRow(change: change, times: 1))
            }
        }
        return rows
    }
}
