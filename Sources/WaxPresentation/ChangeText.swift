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

/// How a change reads, in the browser's `c` and in `wax changes`: what staff did at the
/// counter by its name ("held", "back on sale") and who did it, what a sync saw by the field or
/// the reason ("price", "sold on Discogs, order 1-2").
public enum ChangeText {
    /// "new", "sold in shop", "held", "repriced", "price", "sold".
    public static func what(_ change: ListingChange) -> String {
        if change.field == "refused" {
            return "\((change.oldValue.flatMap(ActionKind.init(rawValue:)) ?? change.actionKind).map(ActionText.noun) ?? "action") refused"
        }
        if let kind = change.actionKind {
            return ActionText.pastTense(kind) + (change.isUndo ? " (undo)" : "")
        }
        switch change.kind {
        case .added: return "new"
        case .removed: return change.field ?? "removed"
        case .updated: return change.field ?? "changed"
        }
    }

    /// "9.99 → 7.99 USD by bob", "by alice", "For Sale → Draft"; nil when there is nothing more to say.
    public static func detail(_ change: ListingChange) -> String? {
        var parts: [String] = []
        if change.field == "refused" {
            return [change.newValue, change.user.map { "by \($0)" }].compactMap { $0 }.joined(separator: " ")
        }
        let valueChange = change.kind == .updated && (change.oldValue != nil || change.newValue != nil)
        // A hold or a release says it in its name; the status it set is Discogs' side of it.
        let statusOfAnAction = change.actionKind != nil && (change.field == "status" || change.field == "removed")
        if valueChange, !statusOfAnAction { parts.append("\(change.oldValue ?? "—") → \(change.newValue ?? "—")") }
        if let user = change.user { parts.append("by \(user)") }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
