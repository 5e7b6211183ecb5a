import Foundation
import GRDB

/// The outbox: staff actions are checked and written here (with the listing's new local state,
/// in one transaction) before anything is sent; the sender moves them along
/// (`queued → sending → sent → confirmed`, or `conflict` / `failed`), one transition per
/// transaction, so a crash at any point leaves a state the sender can resume from.
extension InventoryService {
    // MARK: Staff side

    /// Checks `request` against the mirror, writes the action and the listing's new local state,
    /// and returns the queued action. Throws `ActionRefusal` (nothing written) when the request
    /// can't be done as asked.
    public func enqueue(_ request: ActionRequest, user: String, now: Date = Date()) throws -> CounterAction {
        try database.write { db in
            let (record, removed) = try Self.currentRecord(db, request.listingID)
            if removed != nil, request.kind != .release {
                throw ActionRefusal(.state, "listing \(request.listingID) is not for sale any more (\(removed!))")
            }
            let held = try Self.hold(db, request.listingID) != nil
            let (expected, change) = try Self.fields(for: request, record: record, held: held, removed: removed)
            if let seen = request.seen {
                let moved = seen.differences(from: record)
                if let first = moved.first {
                    throw ActionRefusal(.state, "listing \(request.listingID) changed since you looked (\(first.field) is now \(first.theirs), you saw \(first.ours)): look again")
                }
            }
            let action = try Self.insertAction(db, kind: request.kind, listingID: request.listingID, user: user, expected: expected,
                                               change: change, note: request.note, undoes: nil, now: now)
            try Self.applyLocally(db, action: action, record: record, now: now)
            return Self.decorated(action, record)
        }
    }

    /// Undoes `user`'s last action that can still be undone: one not sent yet is cancelled; a
    /// confirmed one gets an action that puts Discogs back as it was.
    public func undoLast(user: String, now: Date = Date()) throws -> UndoOutcome {
        try database.write { db in
            guard let last = try Self.lastUndoable(db, user: user) else {
                throw ActionRefusal(.state, "nothing of yours to undo")
            }
            switch last.state {
            case .queued:
                return .cancelled(try Self.cancelLocked(db, last, by: user, now: now))
            case .sending, .sent:
                throw ActionRefusal(.state, "#\(last.id) (\(last.summary)) is being sent to Discogs right now: undo it once it is confirmed")
            default:
                break
            }
            if last.kind == .sell, last.change.deleted == true {
                throw ActionRefusal(.state, "#\(last.id) deleted listing \(last.listingID) on Discogs: it can only be listed again on the website")
            }
            let (record, _) = try Self.currentRecord(db, last.listingID)
            let inverse: (ActionKind, ListingFields, ListingFields) = switch last.kind {
            case .sell: (.release, ListingFields(status: last.change.status), ListingFields(status: "For Sale"))
            case .hold: (.release, ListingFields(status: "Draft"), ListingFields(status: "For Sale"))
            case .release: (.hold, ListingFields(status: "For Sale"), ListingFields(status: "Draft"))
            case .price, .move, .comment: (last.kind, last.change, last.expected)
            case .orderStatus: throw ActionRefusal(.state, "an order's status can't be undone: Discogs has told the buyer")
            }
            let action = try Self.insertAction(db, kind: inverse.0, listingID: last.listingID, user: user, expected: inverse.1,
                                               change: inverse.2, note: "undo #\(last.id)", undoes: last.id, now: now)
            try Self.applyLocally(db, action: action, record: record, now: now)
            return .queued(Self.decorated(action, record), undoing: last)
        }
    }

    /// The action `undoLast` would undo now, if any (what the browser's question names).
    public func lastUndoable(user: String) throws -> CounterAction? {
        try database.read { db in try Self.lastUndoable(db, user: user) }
    }

    static func lastUndoable(_ db: Database, user: String) throws -> CounterAction? {
        try fetchActions(db, where: """
            a.user = ? AND a.order_id IS NULL AND a.state IN ('queued', 'sending', 'sent', 'confirmed')
            AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undoes = a.id AND u.state NOT IN ('failed', 'conflict', 'cancelled'))
            """, [user], limit: 1).first
    }

    public func action(id: Int64) throws -> CounterAction? {
        try database.read { db in try Self.fetchActions(db, where: "a.id = ?", [id], limit: 1).first }
    }

    /// Actions, newest first: `open` ones only (queued, sending, sent), or the most recent.
    public func actions(openOnly: Bool = false, user: String? = nil, limit: Int = 200) throws -> [CounterAction] {
        try database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if openOnly { conditions.append("a.state IN ('queued', 'sending', 'sent')") }
            if let user {
                conditions.append("a.user = ?")
                arguments.append(user)
            }
            return try Self.fetchActions(db, where: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments, limit: limit)
        }
    }

    /// Actions not yet confirmed or refused: what the status bar counts as waiting for Discogs.
    public func openActionCount() throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM actions WHERE state IN ('queued', 'sending', 'sent')") ?? 0
        }
    }

    /// Discogs kept failing the sender (5xx, no answer): since when and why. Every wax on the
    /// mirror says so while it lasts, rather than only "6 changes waiting".
    public struct DiscogsTrouble: Sendable, Equatable {
        public var since: Date
        public var reason: String
        public init(since: Date, reason: String) {
            self.since = since
            self.reason = reason
        }
    }

    public func discogsTrouble() throws -> DiscogsTrouble? {
        try database.read { db in try Self.discogsTrouble(db) }
    }

    static func discogsTrouble(_ db: Database) throws -> DiscogsTrouble? {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'discogs_trouble'"),
              let bar = text.firstIndex(of: "|"), let since = Timestamp.parse(String(text[..<bar])) else { return nil }
        return DiscogsTrouble(since: since, reason: String(text[text.index(after: bar)...]))
    }

    /// The sender could not reach Discogs (kept from the first failure on, the latest reason).
    public func noteDiscogsTrouble(_ reason: String, now: Date = Date()) throws {
        try outboxWrite { db in
            let since = try Self.discogsTrouble(db)?.since ?? now
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('discogs_trouble', ?)",
                           arguments: ["\(Timestamp.string(since))|\(reason)"])
        }
    }

    /// Discogs answered the sender again.
    public func clearDiscogsTrouble() throws {
        guard try discogsTrouble() != nil else { return }
        try outboxWrite { db in try db.execute(sql: "DELETE FROM meta WHERE key = 'discogs_trouble'") }
    }

    /// Goes up whenever an action moves without a listing changing (see `meta`).
    public func outboxGeneration() throws -> Int64 {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_generation'") ?? 0
        }
    }

    /// Who holds a listing aside, and why.
    public func hold(of listingID: Int64) throws -> (user: String, note: String?, since: Date?)? {
        try database.read { db in try Self.hold(db, listingID) }
    }

    /// Cancels an action that has not left yet (`queued`, or `failed`/`conflict` to clear it
    /// from view); the mirror is put back.
    public func cancel(_ id: Int64, by user: String, now: Date = Date()) throws -> CounterAction {
        try database.write { db in
            guard let action = try Self.fetchActions(db, where: "a.id = ?", [id], limit: 1).first else {
                throw ActionRefusal(.usage, "no action #\(id) in the outbox")
            }
            switch action.state {
            case .queued: return try Self.cancelLocked(db, action, by: user, now: now)
            case .sending, .sent: throw ActionRefusal(.state, "#\(id) is being sent to Discogs right now: it can't be cancelled")
            default: throw ActionRefusal(.state, "#\(id) is \(action.state.rawValue): there is nothing to cancel")
            }
        }
    }

    /// Queues a failed action again (after its cause was fixed: a token, a permission). A
    /// conflict is not retried: Discogs holds something the staff member did not see.
    public func retry(_ id: Int64, now: Date = Date()) throws -> CounterAction {
        try database.write { db in
            guard let action = try Self.fetchActions(db, where: "a.id = ?", [id], limit: 1).first else {
                throw ActionRefusal(.usage, "no action #\(id) in the outbox")
            }
            guard action.state == .failed else {
                throw ActionRefusal(.state, action.state == .conflict
                    ? "#\(id) was refused because Discogs holds something else (\(action.message ?? "a conflict")): look at the listing and act again"
                    : "#\(id) is \(action.state.rawValue): only a failed action can be retried")
            }
            let (record, removed) = try Self.currentRecord(db, action.listingID)
            if removed != nil, action.kind != .release { throw ActionRefusal(.state, "listing \(action.listingID) is not for sale any more (\(removed!))") }
            try db.execute(sql: "UPDATE actions SET state = 'queued', attempts = 0, next_attempt_at = NULL, message = NULL, updated_at = ? WHERE id = ?",
                           arguments: [Timestamp.string(now), id])
            var queued = action
            queued.state = .queued
            try Self.applyLocally(db, action: queued, record: record, now: now)
            return queued
        }
    }

    // MARK: Sender side

    /// The oldest open action: actions go out in the order staff made them.
    public func nextOpenAction() throws -> CounterAction? {
        try database.read { db in
            try Self.fetchActions(db, where: "a.state IN ('queued', 'sending', 'sent')", [], limit: 1, ascending: true).first
        }
    }

    /// About to talk to Discogs for this action (an attempt is counted before it starts, so a
    /// crash mid-attempt is seen on restart).
    public func markSending(_ id: Int64, now: Date = Date()) throws {
        try outboxWrite { db in
            try db.execute(sql: "UPDATE actions SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state IN ('queued', 'sending', 'sent')",
                           arguments: [Timestamp.string(now), id])
        }
    }

    /// Every action waiting for its next try is due now (`wax outbox send` while another wax
    /// holds the sender: that sender looks again within a second). Returns how many.
    @discardableResult
    public func makeWaitingDueNow(now: Date = Date()) throws -> Int {
        try outboxWrite { db in
            try db.execute(sql: "UPDATE actions SET next_attempt_at = NULL, updated_at = ? WHERE state = 'queued' AND next_attempt_at IS NOT NULL",
                           arguments: [Timestamp.string(now)])
            return db.changesCount
        }
    }

    /// Discogs accepted the write; it is yet to be read back.
    public func markSent(_ id: Int64, now: Date = Date()) throws {
        try outboxWrite { db in
            try db.execute(sql: "UPDATE actions SET state = 'sent', updated_at = ? WHERE id = ? AND state IN ('sending', 'sent')",
                           arguments: [Timestamp.string(now), id])
        }
    }

    /// Discogs is unreachable, busy or rate-limited: try again at `until`. `attempt` is the
    /// attempt that failed, counted even when it failed before `markSending` (the token's
    /// identity check), so the count and the message never disagree.
    public func postpone(_ id: Int64, attempt: Int, until: Date, message: String, now: Date = Date()) throws {
        try outboxWrite { db in
            try db.execute(sql: """
                UPDATE actions SET state = 'queued', next_attempt_at = ?, message = ?, updated_at = ?, attempts = max(attempts, ?)
                WHERE id = ? AND state IN ('queued', 'sending', 'sent')
                """, arguments: [Timestamp.string(until), message, Timestamp.string(now), attempt, id])
        }
    }

    /// Discogs holds what the action asked for (read back): the action is done. Returns false
    /// when it was not open (confirmed before, or cancelled): a confirmation happens once.
    @discardableResult
    public func confirm(_ id: Int64, now: Date = Date()) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "UPDATE actions SET state = 'confirmed', message = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state IN ('queued', 'sending', 'sent')",
                           arguments: [Timestamp.string(now), id])
            guard db.changesCount > 0 else { return false }
            try Self.bumpOutbox(db)
            return true
        }
    }

    /// The action can't be done (`conflict`: Discogs holds something else; `failed`: Discogs
    /// refused it). The mirror is put back as Discogs has it (`discogs`, read just now), or as it
    /// was before the action; later open actions on the same listing are refused with it.
    public func refuse(_ id: Int64, as state: ActionState, message: String, discogs: ListingRecord?, discogsGone: Bool = false,
                       now: Date = Date()) throws {
        precondition(state == .conflict || state == .failed)
        try database.write { db in
            guard let action = try Self.fetchActions(db, where: "a.id = ?", [id], limit: 1).first, action.state.isOpen else { return }
            let later = action.orderID != nil ? [] : try Self.fetchActions(db, where: "a.listing_id = ? AND a.id > ? AND a.state IN ('queued', 'sending', 'sent')",
                                                                            [action.listingID, id], limit: 1_000, ascending: true)
            let stamp = Timestamp.string(now)
            try db.execute(sql: "UPDATE actions SET state = ?, message = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?",
                           arguments: [state.rawValue, message, stamp, id])
            // The history says what happened: the action, then that Discogs refused it.
            if action.orderID == nil {
                for refused in [action] + later {
                    try db.execute(sql: """
                        INSERT INTO listing_changes(listing_id, change, field, old_value, new_value, changed_at, user, action_id)
                        VALUES (?, 'updated', 'refused', ?, ?, ?, ?, ?)
                        """, arguments: [refused.listingID, refused.kind.rawValue, Self.refusalReason(message, discogs: discogs, gone: discogsGone),
                                         stamp, refused.user, refused.id])
                }
            }
            for other in later {
                try db.execute(sql: "UPDATE actions SET state = 'conflict', message = ?, updated_at = ? WHERE id = ?",
                               arguments: ["an earlier action on this listing (#\(id)) was refused: \(message)", stamp, other.id])
            }
            if let orderID = action.orderID {
                try db.execute(sql: "UPDATE orders SET status = ?, updated_at = ? WHERE order_id = ?",
                               arguments: [action.expected.status, stamp, orderID])
                try Self.bumpOrders(db)
            } else {
                try Self.revertLocally(db, [action] + later, discogs: discogs, discogsGone: discogsGone, now: now)
            }
            try Self.bumpOutbox(db)
        }
    }

    /// A listing the sender just read from Discogs (before its write, after it, on a conflict):
    /// the mirror's copy becomes what Discogs holds, every field and not only the one the
    /// action touched, each change recorded as a sync records it; except what staff actions
    /// still on their way set here. A removed listing stays removed (a counter sale is a Draft
    /// on Discogs). Nothing is written when nothing changed (every browser would read again).
    public func refreshListing(_ fresh: ListingRecord, now: Date = Date()) throws {
        var fresh = fresh
        fresh.canonicalize()
        let id = fresh.listingID
        func local(_ db: Database) throws -> (ListingRecord, stored: ListingRecord, removedAt: String?, reason: String?)? {
            guard let row = try Row.fetchOne(db, sql: "SELECT l.*, lr.json AS raw_json FROM listings l LEFT JOIN listing_raw lr ON lr.listing_id = l.listing_id WHERE l.listing_id = ?",
                                             arguments: [id]) else { return nil }
            let stored = ListingRecord(row: row)
            var merged = fresh
            if let fields = try Self.openOverlay(db).fields[id] { fields.apply(to: &merged) }
            return (merged, stored, row["removed_at"], row["removed_reason"])
        }
        guard let (merged, stored, _, _) = try database.read(local), ContentHash.of(merged) != ContentHash.of(stored) || merged.rawJSON != stored.rawJSON else { return }
        try database.write { db in
            guard let (merged, stored, removedAt, reason) = try local(db) else { return }
            let writer = try ListingWriter(db, now: now)
            try writer.upsert(merged, removedAt: removedAt, removedReason: reason)
            let stamp = Timestamp.string(now)
            for (field, old, new) in TrackedField.differences(from: stored, to: merged) {
                try db.execute(sql: """
                    INSERT INTO listing_changes(listing_id, change, field, old_value, new_value, changed_at) VALUES (?, 'updated', ?, ?, ?, ?)
                    """, arguments: [id, field.rawValue, old, new, stamp])
            }
        }
    }

    // MARK: What a sync must respect

    /// Local values of listings with open actions (merged in order), and those being sold:
    /// a sync must not put back what staff just changed.
    static func openOverlay(_ db: Database) throws -> (fields: [Int64: ListingFields], selling: Set<Int64>) {
        var fields: [Int64: ListingFields] = [:]
        var selling = Set<Int64>()
        for action in try fetchActions(db, where: "a.state IN ('queued', 'sending', 'sent') AND a.order_id IS NULL", [], limit: 100_000, ascending: true) {
            if action.kind == .sell { selling.insert(action.listingID) }
            var merged = fields[action.listingID] ?? ListingFields()
            let change = action.change
            if let status = change.status { merged.status = status }
            if let price = change.price { merged.price = price }
            if let currency = change.currency { merged.currency = currency }
            if let location = change.location { merged.location = location }
            if let comments = change.comments { merged.comments = comments }
            fields[action.listingID] = merged
        }
        return (fields, selling)
    }

    static func heldIDs(_ db: Database) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db, sql: "SELECT listing_id FROM holds"))
    }

    // MARK: Plumbing

    /// A write that changes no listing: bumps the outbox generation only.
    private func outboxWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeBookkeeping { db in
            let result = try body(db)
            try Self.bumpOutbox(db)
            return result
        }
    }

    static func bumpOrders(_ db: Database) throws {
        try db.execute(sql: "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'orders_generation'")
    }

    static func bumpOutbox(_ db: Database) throws {
        try db.execute(sql: "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'outbox_generation'")
    }

    /// The listing as the mirror has it, and why it was removed (nil while current).
    static func currentRecord(_ db: Database, _ id: Int64) throws -> (ListingRecord, removed: String?) {
        guard let row = try Row.fetchOne(db, sql: "SELECT l.*, NULL AS raw_json FROM listings l WHERE listing_id = ?", arguments: [id]) else {
            throw ActionRefusal(.usage, "no listing \(id) in the mirror")
        }
        var record = ListingRecord(row: row)
        record.rawJSON = nil   // Discogs' own words stay as Discogs last sent them
        let removedAt: String? = row["removed_at"]
        let reason: String? = row["removed_reason"]
        return (record, removedAt == nil ? nil : (reason ?? "removed"))
    }

    static func hold(_ db: Database, _ id: Int64) throws -> (user: String, note: String?, since: Date?)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT user, note, held_at FROM holds WHERE listing_id = ?", arguments: [id]) else { return nil }
        return (row["user"], row["note"], Timestamp.parse(row["held_at"]))
    }

    /// What the staff member saw and what goes to Discogs, or why not.
    private static func fields(for request: ActionRequest, record: ListingRecord, held: Bool, removed: String?) throws -> (ListingFields, ListingFields) {
        let id = request.listingID
        switch request.kind {
        case .orderStatus:
            throw ActionRefusal(.usage, "an order's status is changed with `wax orders status`")
        case .sell:
            if let quantity = record.quantity, quantity > 1 {
                throw ActionRefusal(.state, "listing \(id) has \(quantity) copies: Discogs' API cannot lower a quantity, so sell this one on the Discogs website")
            }
            if record.status == "Sold" { throw ActionRefusal(.state, "listing \(id) is already sold on Discogs: this would be a double sale") }
            return request.soldInShop == .delete
                ? (ListingFields(status: record.status, deleted: false), ListingFields(deleted: true))
                : (ListingFields(status: record.status), ListingFields(status: "Draft"))
        case .hold:
            if held || record.status == "Draft" { throw ActionRefusal(.state, "listing \(id) is already held") }
            guard record.status == "For Sale" else { throw ActionRefusal(.state, "listing \(id) is \(record.status) on Discogs: only a listing for sale can be held") }
            if let note = request.note, let problem = FieldRules.note(note) { throw ActionRefusal(.usage, problem) }
            return (ListingFields(status: record.status), ListingFields(status: "Draft"))
        case .release:
            guard held || removed == "sold in shop" || record.status == "Draft" else {
                throw ActionRefusal(.state, "listing \(id) is not held: there is nothing to release")
            }
            return (ListingFields(status: "Draft"), ListingFields(status: "For Sale"))
        case .price:
            let currency = record.priceCurrency
            guard let price = request.price else { throw ActionRefusal(.usage, "a price must be a positive number up to 1,000,000, like 12.50") }
            if let problem = FieldRules.price(price, currency: currency) { throw ActionRefusal(.usage, problem) }
            if let asked = request.currency?.uppercased(), let currency, asked != currency.uppercased() {
                throw ActionRefusal(.usage, "listing \(id) is priced in \(currency); wax can't change its currency (you gave \(asked))")
            }
            if record.priceValue.map(ListingFields.cents) == ListingFields.cents(price) {
                throw ActionRefusal(.usage, "listing \(id) is already \(ListingFields.money(price, currency))")
            }
            return (ListingFields(price: record.priceValue, currency: currency), ListingFields(price: price, currency: currency))
        case .move:
            let location = (request.location ?? "").trimmingCharacters(in: .whitespaces)
            if let problem = FieldRules.location(location) { throw ActionRefusal(.usage, problem) }
            guard location != (record.location ?? "") else { throw ActionRefusal(.usage, "listing \(id) is already in \(location.isEmpty ? "no bin" : location)") }
            return (ListingFields(location: record.location ?? ""), ListingFields(location: location))
        case .comment:
            let comments = (request.comments ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            if let problem = FieldRules.comments(comments) { throw ActionRefusal(.usage, problem) }
            guard comments != (record.comments ?? "") else { throw ActionRefusal(.usage, "listing \(id) already has these comments") }
            return (ListingFields(comments: record.comments ?? ""), ListingFields(comments: comments))
        }
    }

    static func insertAction(_ db: Database, kind: ActionKind, listingID: Int64, orderID: String? = nil, user: String, expected: ListingFields,
                             change: ListingFields, note: String?, undoes: Int64?, now: Date) throws -> CounterAction {
        let stamp = Timestamp.string(now)
        try db.execute(sql: """
            INSERT INTO actions(kind, listing_id, order_id, user, created_at, expected, change, note, state, updated_at, undoes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
            """, arguments: [kind.rawValue, orderID == nil ? listingID : nil, orderID, user, stamp, try encode(expected), try encode(change),
                             note, stamp, undoes])
        return CounterAction(id: db.lastInsertedRowID, kind: kind, listingID: listingID, user: user, createdAt: now,
                             expected: expected, change: change, note: note, undoes: undoes, orderID: orderID)
    }

    /// The listing as staff will see it while the action is on its way, and a history line.
    private static func applyLocally(_ db: Database, action: CounterAction, record: ListingRecord, now: Date) throws {
        let writer = try ListingWriter(db, now: now)
        let stamp = Timestamp.string(now)
        func history(_ change: ListingChange.Kind, _ field: String?, _ old: String?, _ new: String?) throws {
            try db.execute(sql: """
                INSERT INTO listing_changes(listing_id, change, field, old_value, new_value, changed_at, user, action_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [action.listingID, change.rawValue, field, old, new, stamp, action.user, action.id])
        }
        var updated = record
        switch action.kind {
        case .orderStatus:
            return
        case .sell:
            try writer.markRemoved(action.listingID, reason: "sold in shop")
            try db.execute(sql: "DELETE FROM holds WHERE listing_id = ?", arguments: [action.listingID])
            try history(.removed, "sold in shop", nil, nil)
            return
        case .hold:
            try db.execute(sql: "INSERT OR REPLACE INTO holds(listing_id, user, note, held_at, action_id) VALUES (?, ?, ?, ?, ?)",
                           arguments: [action.listingID, action.user, action.note, stamp, action.id])
        case .release:
            try db.execute(sql: "DELETE FROM holds WHERE listing_id = ?", arguments: [action.listingID])
        case .price, .move, .comment:
            break
        }
        action.change.apply(to: &updated)
        let wasRemoved = try Bool.fetchOne(db, sql: "SELECT removed_at IS NOT NULL FROM listings WHERE listing_id = ?", arguments: [action.listingID]) ?? false
        try writer.upsert(updated, updatedAt: stamp)
        if wasRemoved { try history(.updated, "removed", "sold in shop", "back on sale") }
        for (field, old, new) in TrackedField.differences(from: record, to: updated) {
            try history(.updated, field.rawValue, old, new)
        }
    }

    /// Puts listings back as Discogs has them (or as they were before `actions`).
    private static func revertLocally(_ db: Database, _ actions: [CounterAction], discogs: ListingRecord?, discogsGone: Bool, now: Date) throws {
        guard let first = actions.first else { return }
        let writer = try ListingWriter(db, now: now)
        let stamp = Timestamp.string(now)
        let (record, removed) = try currentRecord(db, first.listingID)
        var restored = record
        for action in actions.reversed() {
            let fields = discogs.map { action.change.current(in: $0) } ?? action.expected
            fields.apply(to: &restored)
            switch action.kind {
            case .hold:
                try db.execute(sql: "DELETE FROM holds WHERE listing_id = ? AND action_id = ?", arguments: [action.listingID, action.id])
            case .release where removed == nil && restored.status == "Draft":
                // Still a Draft on Discogs: still held.
                try db.execute(sql: "INSERT OR IGNORE INTO holds(listing_id, user, note, held_at, action_id) VALUES (?, ?, ?, ?, ?)",
                               arguments: [action.listingID, action.user, "release refused", stamp, action.id])
            default:
                break
            }
        }
        if let discogs, discogs.status == "Sold" {
            // Sold online meanwhile: the record is gone either way, and staff must hear why.
            if removed == nil { try writer.markRemoved(first.listingID, reason: "sold on Discogs") }
            else { try db.execute(sql: "UPDATE listings SET removed_reason = 'sold on Discogs', updated_at = ? WHERE listing_id = ?", arguments: [stamp, first.listingID]) }
            try db.execute(sql: "DELETE FROM holds WHERE listing_id = ?", arguments: [first.listingID])
            return
        }
        if discogsGone {
            if removed == nil { try writer.markRemoved(first.listingID, reason: "deleted") }
            try db.execute(sql: "DELETE FROM holds WHERE listing_id = ?", arguments: [first.listingID])
            return
        }
        // A sale that did not happen on Discogs: the record is for sale again here too.
        let unsell = actions.contains { $0.kind == .sell }
        if removed == nil || unsell {
            try writer.upsert(restored, updatedAt: stamp)

        }
    }

    /// The short reason history keeps for a refusal: what Discogs held, not the whole message.
    static func refusalReason(_ message: String, discogs: ListingRecord?, gone: Bool) -> String {
        if discogs?.status == "Sold" { return "sold on Discogs" }
        if gone { return "deleted on Discogs" }
        if let colon = message.firstIndex(of: ":"), message.hasPrefix("SOLD") == false {
            let head = message[..<colon]
            if head.count <= 60 { return String(head) }
        }
        return String(message.prefix(80))
    }

    private static func cancelLocked(_ db: Database, _ action: CounterAction, by user: String, now: Date) throws -> CounterAction {
        try db.execute(sql: "UPDATE actions SET state = 'cancelled', message = ?, updated_at = ? WHERE id = ?",
                       arguments: ["cancelled by \(user)", Timestamp.string(now), action.id])
        try revertLocally(db, [action], discogs: nil, discogsGone: false, now: now)
        if action.kind == .release, let undone = action.undoes,
           let original = try fetchActions(db, where: "a.id = ?", [undone], limit: 1).first, original.kind == .hold {
            try db.execute(sql: "INSERT OR REPLACE INTO holds(listing_id, user, note, held_at, action_id) VALUES (?, ?, ?, ?, ?)",
                           arguments: [original.listingID, original.user, original.note, Timestamp.string(original.createdAt), original.id])
        }
        try bumpOutbox(db)
        var cancelled = action
        cancelled.state = .cancelled
        return cancelled
    }

    static func fetchActions(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible], limit: Int,
                             ascending: Bool = false) throws -> [CounterAction] {
        try Row.fetchAll(db, sql: """
            SELECT a.*, l.artist, l.title, l.location FROM actions a LEFT JOIN listings l ON l.listing_id = a.listing_id
            WHERE \(condition) ORDER BY a.id \(ascending ? "ASC" : "DESC") LIMIT \(limit)
            """, arguments: StatementArguments(arguments)).map(action)
    }

    static func action(_ row: Row) throws -> CounterAction {
        var action = CounterAction(
            id: row["id"], kind: ActionKind(rawValue: row["kind"]) ?? .price, listingID: row["listing_id"] ?? 0, user: row["user"],
            createdAt: Timestamp.parse(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            expected: try decode(row["expected"]), change: try decode(row["change"]), note: row["note"],
            state: ActionState(rawValue: row["state"]) ?? .failed, attempts: row["attempts"],
            nextAttemptAt: Timestamp.parse(row["next_attempt_at"]), message: row["message"],
            updatedAt: Timestamp.parse(row["updated_at"]), undoes: row["undoes"], orderID: row["order_id"])
        action.artist = row["artist"]
        action.title = row["title"]
        action.location = row["location"]
        return action
    }

    private static func decorated(_ action: CounterAction, _ record: ListingRecord) -> CounterAction {
        var action = action
        action.artist = record.artist
        action.title = record.title
        action.location = record.location
        return action
    }

    static func encode(_ fields: ListingFields) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(fields), as: UTF8.self)
    }

    private static func decode(_ text: String?) throws -> ListingFields {
        guard let text else { return ListingFields() }
        return try JSONDecoder().decode(ListingFields.self, from: Data(text.utf8))
    }
}
