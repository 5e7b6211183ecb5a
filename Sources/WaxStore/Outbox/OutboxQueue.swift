import Foundation
import GRDB

/// The outbox, sender side: the sender takes the oldest open action, moves it along
/// (`queued → sending → sent → confirmed`, or `conflict` / `failed`) one transition per
/// transaction, so that a crash at any point leaves a state the sender can resume from; and the
/// listings it reads fresh from Discogs replace the mirror's copies.
public struct OutboxQueue: Sendable {
    let database: MirrorDatabase

    /// The oldest open action: actions go out in the order staff made them.
    public func next(now: Date = Date()) throws -> CounterAction? {
        try database.read { db in
            // A job Discogs is still processing waits aside (its next look is due later): the
            // actions after it go meanwhile.
            try Actions.fetch(db, where: """
                a.state IN (\(ActionState.openSQL))
                AND NOT (a.kind = '\(ActionKind.priceRun.rawValue)' AND a.state = 'sent' AND a.next_attempt_at > ?)
                """, [Timestamp.string(now)], limit: 1, ascending: true).first
        }
    }

    /// A job Discogs is processing: looked at again at `until`, still `sent`.
    public func wait(_ id: Int64, until: Date, message: String, now: Date = Date()) throws {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE actions SET state = 'sent', next_attempt_at = ?, message = ?, updated_at = ? WHERE id = ? AND state IN (\(ActionState.openSQL))",
                           arguments: [Timestamp.string(until), message, Timestamp.string(now), id])
        }
    }

    /// A run's job is done and verified: confirmed, saying how many listings took their price.
    public func confirmRun(_ id: Int64, message: String, now: Date = Date()) throws {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE actions SET state = 'confirmed', message = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state IN (\(ActionState.openSQL))",
                           arguments: [message, Timestamp.string(now), id])
        }
    }

    /// About to talk to Discogs for this action (an attempt is counted before it starts, so a
    /// crash mid-attempt is seen on restart).
    public func markSending(_ id: Int64, now: Date = Date()) throws {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE actions SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state IN (\(ActionState.openSQL))",
                           arguments: [Timestamp.string(now), id])
        }
    }

    /// Discogs accepted the write; it is yet to be read back.
    public func markSent(_ id: Int64, now: Date = Date()) throws {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE actions SET state = 'sent', updated_at = ? WHERE id = ? AND state IN ('sending', 'sent')",
                           arguments: [Timestamp.string(now), id])
        }
    }

    /// Discogs is unreachable, busy or rate-limited: try again at `until`. `attempt` is the
    /// attempt that failed, counted even when it failed before `markSending` (the token's
    /// identity check), so the count and the message never disagree.
    public func postpone(_ id: Int64, attempt: Int, until: Date, message: String, now: Date = Date()) throws {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: """
                UPDATE actions SET state = 'queued', next_attempt_at = ?, message = ?, updated_at = ?, attempts = max(attempts, ?)
                WHERE id = ? AND state IN (\(ActionState.openSQL))
                """, arguments: [Timestamp.string(until), message, Timestamp.string(now), attempt, id])
        }
    }

    /// Every action waiting for its next try is due now (`wax outbox send` while another wax
    /// holds the sender: that sender looks again within a second). Returns how many.
    @discardableResult
    public func makeWaitingDueNow(now: Date = Date()) throws -> Int {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE actions SET next_attempt_at = NULL, updated_at = ? WHERE state = 'queued' AND next_attempt_at IS NOT NULL",
                           arguments: [Timestamp.string(now)])
            return db.changesCount
        }
    }

    /// Discogs holds what the action asked for (read back): the action is done. Returns false
    /// when it was not open (confirmed before, or cancelled): a confirmation happens once. Only
    /// the outbox changes: every browser re-reads its rows on screen, not its index.
    @discardableResult
    public func confirm(_ id: Int64, now: Date = Date()) throws -> Bool {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE actions SET state = 'confirmed', message = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state IN (\(ActionState.openSQL))",
                           arguments: [Timestamp.string(now), id])
            return db.changesCount > 0
        }
    }

    /// A new listing is on Discogs as `listing` (read back just now): the provisional row becomes
    /// it, under Discogs' id, with its history and actions; its sticker is queued; the action is
    /// confirmed. Returns false when the action was no longer open.
    @discardableResult
    public func adopt(_ id: Int64, as listing: ListingRecord, now: Date = Date()) throws -> Bool {
        var fresh = listing
        fresh.canonicalize()
        return try database.write(changing: [.listings, .outbox]) { db in
            guard let action = try Actions.one(db, id), action.state.isOpen, let provisional = action.listingID else { return false }
            if provisional < 0 {
                try IntakeStore.removeProvisional(db, provisional)
                for table in ["actions", "listing_changes"] {
                    try db.execute(sql: "UPDATE \(table) SET listing_id = ? WHERE listing_id = ?", arguments: [fresh.listingID, provisional])
                }
            }
            try ListingWriter(db, now: now).upsert(fresh)
            try IntakeStore.queueSticker(db, listingID: fresh.listingID, user: action.user, now: now)
            try db.execute(sql: "UPDATE actions SET state = 'confirmed', message = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ?",
                           arguments: [Timestamp.string(now), id])
            return true
        }
    }

    /// The action can't be done (`conflict`: Discogs holds something else; `failed`: Discogs
    /// refused it). The mirror is put back as Discogs has it (`discogs`, read just now), or as it
    /// was before the action; later open actions on the same listing are refused with it. The
    /// history says what happened: the action, then its refusal.
    public func refuse(_ id: Int64, as state: ActionState, message: String, discogs: ListingRecord?, discogsGone: Bool = false,
                       now: Date = Date()) throws {
        precondition(state.isRefused)
        try database.write(changing: [.listings, .outbox, .holds, .orders]) { db in
            guard let action = try Actions.one(db, id), action.state.isOpen else { return }
            let stamp = Timestamp.string(now)
            try db.execute(sql: "UPDATE actions SET state = ?, message = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?",
                           arguments: [state.rawValue, message, stamp, id])
            switch action.target {
            case .run(let run):
                try RepriceStore.refuseOpenItems(db, run: run, message: message, stamp: stamp)
            case .order(let order):
                try db.execute(sql: "UPDATE orders SET status = ?, updated_at = ? WHERE order_id = ?",
                               arguments: [action.expected.status?.rawValue, stamp, order])
            case .listing(let listing):
                let later = try Actions.fetch(db, where: "a.listing_id = ? AND a.id > ? AND a.state IN (\(ActionState.openSQL))",
                                              [listing, id], limit: 1_000, ascending: true)
                for other in later {
                    try db.execute(sql: "UPDATE actions SET state = 'conflict', message = ?, updated_at = ? WHERE id = ?",
                                   arguments: ["an earlier action on this listing (#\(id)) was refused: \(message)", stamp, other.id])
                }
                let reason = Self.refusalReason(message, discogs: discogs, gone: discogsGone)
                for refused in [action] + later {
                    try Actions.history(db, refused, .updated, field: "refused", old: refused.kind.rawValue, new: reason, at: stamp)
                }
                try Local.revert(db, [action] + later, discogs: discogs, discogsGone: discogsGone, now: now)
            }
        }
    }

    /// The short reason history keeps for a refusal: what Discogs held, not the whole message.
    static func refusalReason(_ message: String, discogs: ListingRecord?, gone: Bool) -> String {
        if discogs?.status == .sold { return "sold on Discogs" }
        if gone { return "deleted on Discogs" }
        if let colon = message.firstIndex(of: ":"), !message.hasPrefix("SOLD"), message.distance(from: message.startIndex, to: colon) <= 60 {
            return String(message[..<colon])
        }
        return String(message.prefix(80))
    }

    /// A listing the sender just read from Discogs (before its write, after it, on a conflict):
    /// the mirror's copy becomes what Discogs holds, every field and not only the one the
    /// action touched, each change recorded as a sync records it; except what staff actions
    /// still on their way set here. A removed listing stays removed (a counter sale is a Draft
    /// on Discogs). Nothing is written when nothing changed (every browser would read again).
    public func refresh(_ fresh: ListingRecord, now: Date = Date()) throws {
        var fresh = fresh
        fresh.canonicalize()
        let id = fresh.listingID
        func local(_ db: Database) throws -> (merged: ListingRecord, stored: ListingRecord, removedAt: String?, reason: String?)? {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT l.*, lr.json AS raw_json FROM listings l LEFT JOIN listing_raw lr ON lr.listing_id = l.listing_id WHERE l.listing_id = ?
                """, arguments: [id]) else { return nil }
            var merged = fresh
            try Actions.openOverlay(db).fields[id]?.apply(to: &merged)
            return (merged, ListingRecord(row: row), row["removed_at"], row["removed_reason"])
        }
        guard let seen = try database.read(local),
              ContentHash.of(seen.merged) != ContentHash.of(seen.stored) || seen.merged.rawJSON != seen.stored.rawJSON else { return }
        // Only what no list reads changed (a confirmed reprice's JSON and original price, the
        // mirror already showing the new price): the rows on screen are read again, the index
        // of every browser stays.
        let changes: MirrorChanges = seen.merged.listedPart == seen.stored.listedPart ? .outbox : .listings
        try database.write(changing: changes) { db in
            guard let current = try local(db) else { return }
            let writer = try ListingWriter(db, now: now)
            try writer.upsert(current.merged, removedAt: current.removedAt, removedReason: current.reason.map(RemovalReason.init(text:)))
            let stamp = Timestamp.string(now)
            for (field, old, new) in TrackedField.differences(from: current.stored, to: current.merged) {
                try db.execute(sql: """
                    INSERT INTO listing_changes(listing_id, change, field, old_value, new_value, changed_at) VALUES (?, 'updated', ?, ?, ?, ?)
                    """, arguments: [id, field.rawValue, old, new, stamp])
            }
        }
    }

    // MARK: Discogs not answering

    /// Discogs kept failing the sender (5xx, no answer): since when and why. Every wax on the
    /// mirror says so while it lasts, rather than only "6 changes waiting".
    public struct Trouble: Sendable, Equatable {
        public var since: Date
        public var reason: String
        public init(since: Date, reason: String) {
            self.since = since
            self.reason = reason
        }
    }

    public func trouble() throws -> Trouble? {
        try database.read { db in try Self.trouble(db) }
    }

    static func trouble(_ db: Database) throws -> Trouble? {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'discogs_trouble'"),
              let bar = text.firstIndex(of: "|"), let since = Timestamp.parse(String(text[..<bar])) else { return nil }
        return Trouble(since: since, reason: String(text[text.index(after: bar)...]))
    }

    /// The sender could not reach Discogs (kept from the first failure on, the latest reason).
    public func noteTrouble(_ reason: String, now: Date = Date()) throws {
        try database.write(changing: .outbox) { db in
            let since = try Self.trouble(db)?.since ?? now
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('discogs_trouble', ?)",
                           arguments: ["\(Timestamp.string(since))|\(reason)"])
        }
    }

    /// Discogs answered the sender again.
    public func clearTrouble() throws {
        guard try trouble() != nil else { return }
        try database.write(changing: .outbox) { db in try db.execute(sql: "DELETE FROM meta WHERE key = 'discogs_trouble'") }
    }
}
