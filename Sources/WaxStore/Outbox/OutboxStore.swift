import Foundation
import GRDB

/// The outbox, staff side: actions are checked and written here (with the listing's new local
/// state, in one transaction) before anything is sent; staff list them, cancel one not yet
/// sent, retry a failed one, undo their last.
public struct OutboxStore: Sendable {
    let database: MirrorDatabase

    /// What staff actions change at once: the listing, the outbox, and who holds what.
    static let staffChanges: MirrorChanges = [.listings, .outbox, .holds]

    /// Checks `request` against the mirror, writes the action and the listing's new local state,
    /// and returns the queued action. Throws `ActionRefusal` (nothing written) when the request
    /// can't be done as asked.
    public func enqueue(_ request: ActionRequest, user: String, now: Date = Date()) throws -> CounterAction {
        try database.write(changing: Self.staffChanges) { db in
            if request.listingID < 0 { throw ActionRefusal(.notListedYet(listing: request.listingID)) }
            let (record, removed) = try Actions.currentRecord(db, request.listingID)
            if let removed, request.kind.spec.effect != .releases {
                throw ActionRefusal(.notForSale(listing: request.listingID, removed))
            }
            let held = try Actions.hold(db, request.listingID) != nil
            let (expected, change) = try Self.fields(for: request, record: record, held: held, removed: removed)
            if let seen = request.seen, let moved = seen.differences(from: record).first {
                throw ActionRefusal(.changedSinceSeen(listing: request.listingID, moved))
            }
            let action = try Actions.insert(db, CounterAction(id: 0, kind: request.kind, target: .listing(request.listingID), user: user, createdAt: now,
                                                              expected: expected, change: change, note: request.note))
            try Local.apply(db, action: action, record: record, now: now)
            return Self.decorated(action, record)
        }
    }

    /// Undoes `user`'s last action that can still be undone: one not sent yet is cancelled; a
    /// confirmed one gets the action its kind is undone by, putting Discogs back as it was.
    public func undoLast(user: String, now: Date = Date()) throws -> UndoOutcome {
        try database.write(changing: Self.staffChanges) { db in
            guard let last = try Self.lastUndoable(db, user: user) else {
                throw ActionRefusal(.nothingToUndo)
            }
            switch last.state {
            case .queued:
                return .cancelled(try Self.cancelLocked(db, last, by: user, now: now))
            case .sending, .sent:
                throw ActionRefusal(.beingSent(last, whileTrying: .undo))
            case .confirmed, .conflict, .failed, .cancelled:
                break
            }
            guard case .listing(let listing) = last.target else { throw ActionRefusal(.cannotUndo(last, .buyerTold)) }
            if last.change.deleted == true { throw ActionRefusal(.deletedOnDiscogs(last)) }
            let inverse: ActionKind
            switch last.kind.spec.undo {
            case .by(let kind): inverse = kind
            case .never(let why): throw ActionRefusal(.cannotUndo(last, why))
            }
            let (record, _) = try Actions.currentRecord(db, listing)
            // What it changed goes back: what it set is what the undo expects to find.
            let action = try Actions.insert(db, CounterAction(id: 0, kind: inverse, target: last.target, user: user, createdAt: now,
                                                              expected: last.change, change: last.expected, note: "undo #\(last.id)",
                                                              undoes: last.id))
            try Local.apply(db, action: action, record: record, now: now)
            return .queued(Self.decorated(action, record), undoing: last)
        }
    }

    /// The action `undoLast` would undo now, if any (what the browser's question names).
    public func lastUndoable(user: String) throws -> CounterAction? {
        try database.read { db in try Self.lastUndoable(db, user: user) }
    }

    static func lastUndoable(_ db: Database, user: String) throws -> CounterAction? {
        try Actions.fetch(db, where: """
            a.user = ? AND a.order_id IS NULL AND a.state IN (\(ActionState.openSQL), 'confirmed')
            AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undoes = a.id AND u.state NOT IN ('failed', 'conflict', 'cancelled'))
            """, [user], limit: 1).first
    }

    public func action(id: Int64) throws -> CounterAction? {
        try database.read { db in try Actions.one(db, id) }
    }

    /// Actions, newest first: `open` ones only (queued, sending, sent), or the most recent.
    public func actions(openOnly: Bool = false, user: String? = nil, limit: Int = 200) throws -> [CounterAction] {
        try database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if openOnly { conditions.append("a.state IN (\(ActionState.openSQL))") }
            if let user {
                conditions.append("a.user = ?")
                arguments.append(user)
            }
            return try Actions.fetch(db, where: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments, limit: limit)
        }
    }

    /// Actions not yet confirmed or refused: what the status bar counts as waiting for Discogs.
    public func openCount() throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM actions WHERE state IN (\(ActionState.openSQL))") ?? 0
        }
    }

    /// Who holds a listing aside, and why.
    public func hold(of listingID: Int64) throws -> (user: String, note: String?, since: Date?)? {
        try database.read { db in try Actions.hold(db, listingID).map { ($0.user, $0.note, Timestamp.parse($0.heldAt)) } }
    }

    /// Cancels an action that has not left yet; the mirror is put back.
    public func cancel(_ id: Int64, by user: String, now: Date = Date()) throws -> CounterAction {
        try database.write(changing: Self.staffChanges) { db in
            guard let action = try Actions.one(db, id) else { throw ActionRefusal(.noAction(id)) }
            switch action.state {
            case .queued: return try Self.cancelLocked(db, action, by: user, now: now)
            case .sending, .sent: throw ActionRefusal(.beingSent(action, whileTrying: .cancel))
            case .confirmed, .conflict, .failed, .cancelled: throw ActionRefusal(.alreadyFinal(action))
            }
        }
    }

    /// Queues a failed action again (after its cause was fixed: a token, a permission). A
    /// conflict is not retried: Discogs holds something the staff member did not see.
    public func retry(_ id: Int64, now: Date = Date()) throws -> CounterAction {
        try database.write(changing: Self.staffChanges) { db in
            guard let action = try Actions.one(db, id) else { throw ActionRefusal(.noAction(id)) }
            guard action.state == .failed else { throw ActionRefusal(.notRetryable(action)) }
            try db.execute(sql: "UPDATE actions SET state = 'queued', attempts = 0, next_attempt_at = NULL, message = NULL, updated_at = ? WHERE id = ?",
                           arguments: [Timestamp.string(now), id])
            var queued = action
            queued.state = .queued
            if case .listing(let listing) = action.target {
                let (record, removed) = try Actions.currentRecord(db, listing)
                if let removed, action.kind.spec.effect != .releases {
                    throw ActionRefusal(.notForSale(listing: listing, removed))
                }
                try Local.apply(db, action: queued, record: record, now: now)
            }
            return queued
        }
    }

    private static func cancelLocked(_ db: Database, _ action: CounterAction, by user: String, now: Date) throws -> CounterAction {
        try db.execute(sql: "UPDATE actions SET state = 'cancelled', message = ?, updated_at = ? WHERE id = ?",
                       arguments: ["cancelled by \(user)", Timestamp.string(now), action.id])
        try Local.revert(db, [action], discogs: nil, discogsGone: false, now: now)
        // A release that undid a hold, cancelled: the hold stands again.
        if action.kind.spec.effect == .releases, let undone = action.undoes, let original = try Actions.one(db, undone),
           original.kind.spec.effect == .holds, let listing = original.listingID {
            try HoldRow(listingId: listing, user: original.user, note: original.note, heldAt: Timestamp.string(original.createdAt),
                        actionId: original.id).save(db)
        }
        var cancelled = action
        cancelled.state = .cancelled
        return cancelled
    }

    private static func decorated(_ action: CounterAction, _ record: ListingRecord) -> CounterAction {
        var action = action
        action.artist = record.artist
        action.title = record.title
        action.location = record.location
        return action
    }

    /// What the staff member saw and what goes to Discogs, or why not.
    private static func fields(for request: ActionRequest, record: ListingRecord, held: Bool, removed: RemovalReason?) throws -> (ListingFields, ListingFields) {
        let id = request.listingID
        switch request.kind {
        case .orderStatus:
            throw ActionRefusal(.orderStatusElsewhere)
        case .create:
            throw ActionRefusal(.intakeElsewhere)
        case .priceRun:
            throw ActionRefusal(.repriceElsewhere)
        case .sell:
            if let quantity = record.quantity, quantity > 1 {
                throw ActionRefusal(.severalCopies(listing: id, quantity: quantity))
            }
            if record.status == .sold { throw ActionRefusal(.alreadySoldOnDiscogs(listing: id)) }
            return request.soldInShop == .delete
                ? (ListingFields(status: record.status, deleted: false), ListingFields(deleted: true))
                : (ListingFields(status: record.status), ListingFields(status: .draft))
        case .hold:
            if held || record.status == .draft { throw ActionRefusal(.alreadyHeld(listing: id)) }
            guard record.status == .forSale else { throw ActionRefusal(.cannotHold(listing: id, record.status)) }
            if let note = request.note, let problem = FieldRules.note(note) { throw ActionRefusal(.invalid(problem)) }
            return (ListingFields(status: record.status), ListingFields(status: .draft))
        case .release:
            guard held || removed == .soldInShop || record.status == .draft else {
                throw ActionRefusal(.notHeld(listing: id))
            }
            return (ListingFields(status: .draft), ListingFields(status: .forSale))
        case .price:
            let currency = record.priceCurrency
            guard let price = request.price else { throw ActionRefusal(.invalid(.priceOutOfRange(limit: request.priceLimit))) }
            if let problem = FieldRules.price(price, currency: currency, limit: request.priceLimit) { throw ActionRefusal(.invalid(problem)) }
            if let asked = request.currency?.uppercased(), let currency, asked != currency.uppercased() {
                throw ActionRefusal(.otherCurrency(listing: id, currency: currency, asked: asked))
            }
            let asked = FieldValue.money(price, currency: currency)
            if EditableField.same(EditableField.price.value(in: record), asked) { throw ActionRefusal(.unchanged(listing: id, .price, asked)) }
            return (ListingFields(price: record.priceValue, currency: currency), ListingFields(price: price, currency: currency))
        case .move:
            let location = (request.location ?? "").trimmingCharacters(in: .whitespaces)
            if let problem = FieldRules.location(location) { throw ActionRefusal(.invalid(problem)) }
            guard location != (record.location ?? "") else { throw ActionRefusal(.unchanged(listing: id, .location, .text(location))) }
            return (ListingFields(location: record.location ?? ""), ListingFields(location: location))
        case .comment:
            let comments = (request.comments ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            if let problem = FieldRules.comments(comments) { throw ActionRefusal(.invalid(problem)) }
            guard comments != (record.comments ?? "") else { throw ActionRefusal(.unchanged(listing: id, .comments, .text(comments))) }
            return (ListingFields(comments: record.comments ?? ""), ListingFields(comments: comments))
        }
    }
}

/// What an action does to the mirror's listing while it is on its way, and undoes when Discogs
/// refuses it or staff cancel it: its kind's local effect (`ActionKind.Spec.effect`).
enum Local {
    static func apply(_ db: Database, action: CounterAction, record: ListingRecord, now: Date) throws {
        guard let listing = action.listingID else { return }
        let writer = try ListingWriter(db, now: now)
        let stamp = Timestamp.string(now)
        switch action.kind.spec.effect {
        case .none, .creates:
            // A new listing's row is written with its release's details by `IntakeStore`.
            return
        case .leavesList(let reason):
            try writer.markRemoved(listing, reason: reason)
            _ = try HoldRow.deleteOne(db, key: listing)
            try Actions.history(db, action, .removed, field: reason.text, old: nil, new: nil, at: stamp)
            return
        case .holds:
            try HoldRow(listingId: listing, user: action.user, note: action.note, heldAt: stamp, actionId: action.id).save(db)
        case .releases:
            _ = try HoldRow.deleteOne(db, key: listing)
        case .setsFields:
            break
        }
        var updated = record
        action.change.apply(to: &updated)
        let wasRemoved = try Bool.fetchOne(db, sql: "SELECT removed_at IS NOT NULL FROM listings WHERE listing_id = ?", arguments: [listing]) ?? false
        try writer.upsert(updated, updatedAt: stamp)
        if wasRemoved { try Actions.history(db, action, .updated, field: "removed", old: RemovalReason.soldInShop.text, new: "back on sale", at: stamp) }
        for (field, old, new) in TrackedField.differences(from: record, to: updated) {
            try Actions.history(db, action, .updated, field: field.rawValue, old: old, new: new, at: stamp)
        }
    }

    /// Puts listings back as Discogs has them (or as they were before `actions`).
    static func revert(_ db: Database, _ actions: [CounterAction], discogs: ListingRecord?, discogsGone: Bool, now: Date) throws {
        guard let first = actions.first, let listing = first.listingID else { return }
        if first.kind.spec.effect == .creates {
            // Never on Discogs: the provisional row goes; the history keeps the action.
            try IntakeStore.removeProvisional(db, listing)
            return
        }
        let writer = try ListingWriter(db, now: now)
        let stamp = Timestamp.string(now)
        let (record, removed) = try Actions.currentRecord(db, listing)
        var restored = record
        for action in actions.reversed() {
            (discogs.map { action.change.current(in: $0) } ?? action.expected).apply(to: &restored)
            switch action.kind.spec.effect {
            case .holds:
                try db.execute(sql: "DELETE FROM holds WHERE listing_id = ? AND action_id = ?", arguments: [listing, action.id])
            case .releases where removed == nil && restored.status == .draft:
                // Still a Draft on Discogs: still held.
                if try Actions.hold(db, listing) == nil {
                    try HoldRow(listingId: listing, user: action.user, note: "release refused", heldAt: stamp, actionId: action.id).insert(db)
                }
            case .leavesList, .releases, .setsFields, .creates, .none:
                break
            }
        }
        if let discogs, discogs.status == .sold {
            // Sold online meanwhile: the record is gone either way, and staff must hear why.
            if removed == nil { try writer.markRemoved(listing, reason: .soldOnDiscogs(order: nil)) }
            else {
                try db.execute(sql: "UPDATE listings SET removed_reason = ?, updated_at = ? WHERE listing_id = ?",
                               arguments: [RemovalReason.soldOnDiscogs(order: nil).text, stamp, listing])
            }
            _ = try HoldRow.deleteOne(db, key: listing)
            return
        }
        if discogsGone {
            if removed == nil { try writer.markRemoved(listing, reason: .deleted) }
            _ = try HoldRow.deleteOne(db, key: listing)
            return
        }
        // A sale that did not happen on Discogs: the record is for sale again here too.
        let unsold = actions.contains { if case .leavesList = $0.kind.spec.effect { true } else { false } }
        if removed == nil || unsold { try writer.upsert(restored, updatedAt: stamp) }
    }
}
