import Foundation
import GRDB

/// Repricing, the mirror's side: the listings a rule runs over, runs recorded with every
/// listing's old and new price, a small run queued as ordinary price edits and a large one as
/// one job action; the sender's checks before a job and its verification after.
public struct RepriceStore: Sendable {
    let database: MirrorDatabase

    /// Above this many listings a run is sent as one CSV change job, not one edit each.
    public static let jobThreshold = 50

    /// The current listings among `ids` as a rule reads them (one pass over the table).
    public func candidates(ids: [Int64]) throws -> [RepriceCandidate] {
        // The selection's order (what staff see), not the table's: each row goes to its place.
        var position: [Int64: Int] = [:]
        position.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() where position[id] == nil { position[id] = index }
        return try database.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT listing_id, release_id, artist, title, location, price_value, price_currency, condition, posted
                FROM listings WHERE removed_at IS NULL AND listing_id > 0 AND price_value IS NOT NULL
                """)
            var placed = [RepriceCandidate?](repeating: nil, count: ids.count)
            while let row = try rows.next() {
                let id: Int64 = row[0]
                guard let index = position[id] else { continue }
                placed[index] = RepriceCandidate(listingID: id, releaseID: row[1], artist: row[2], title: row[3], location: row[4], price: row[5],
                                                 currency: row[6], condition: ConditionGrade(discogs: row[7]), posted: PostedDate.parse(row[8]))
            }
            return placed.compactMap { $0 }
        }
    }

    /// Records `plan` as a run and queues it: up to `threshold` listings as price edits through
    /// the outbox (each read before it is written, as staff's own), more as one job action.
    public func record(_ plan: RepricePlan, user: String, threshold: Int = RepriceStore.jobThreshold, now: Date = Date()) throws -> RepriceRun {
        if let problem = plan.problems.first { throw ActionRefusal(.cannotReprice(problem)) }
        guard !plan.items.isEmpty else { throw ActionRefusal(.cannotReprice("the rule changes no price in this selection: nothing to send")) }
        let method: RepriceRun.Method = plan.items.count > threshold ? .job : .edits
        let stamp = Timestamp.string(now)
        let runID = try database.write(changing: .outbox) { db -> Int64 in
            try db.execute(sql: "INSERT INTO reprice_runs(user, created_at, rule, selection, method, undoes) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [user, stamp, plan.rule, plan.selection, method.rawValue, plan.undoes])
            let run = db.lastInsertedRowID
            let insert = try db.makeStatement(sql: """
                INSERT INTO reprice_items(run_id, position, listing_id, release_id, old_price, new_price, currency, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (position, item) in plan.items.enumerated() {
                try insert.execute(arguments: [run, position, item.listingID, item.releaseID, item.oldPrice, item.newPrice, item.currency, item.reason])
            }
            if method == .job {
                _ = try Actions.insert(db, CounterAction(id: 0, kind: .priceRun, target: .run(run), user: user, createdAt: now,
                                                         expected: ListingFields(), change: ListingFields(), note: plan.rule))
            }
            return run
        }
        if method == .edits {
            let outbox = OutboxStore(database: database)
            for item in plan.items {
                var request = ActionRequest(.price, listingID: item.listingID, price: item.newPrice, currency: item.currency,
                                            seen: ListingFields(price: item.oldPrice, currency: item.currency))
                request.priceLimit = .greatestFiniteMagnitude    // the plan checked the shop's ceiling
                do {
                    let action = try outbox.enqueue(request, user: user, now: now)
                    try database.write(changing: []) { db in
                        try db.execute(sql: "UPDATE reprice_items SET action_id = ? WHERE run_id = ? AND listing_id = ?", arguments: [action.id, runID, item.listingID])
                    }
                } catch let refusal as ActionRefusal {
                    try database.write(changing: .outbox) { db in
                        try db.execute(sql: "UPDATE reprice_items SET state = 'conflict', message = ? WHERE run_id = ? AND listing_id = ?",
                                       arguments: ["\(refusal.reason)", runID, item.listingID])
                    }
                }
            }
        }
        guard let run = try run(id: runID) else { throw ActionRefusal(.noRun(runID)) }
        return run
    }

    /// The plan that puts back what run `id` changed (the confirmed listings), checked against
    /// the mirror: a listing repriced again since is left out and counted.
    public func inverse(of id: Int64) throws -> RepricePlan {
        guard let run = try run(id: id) else { throw ActionRefusal(.noRun(id)) }
        let items = try items(run: id).filter { $0.state == .confirmed }
        let current = Dictionary(try candidates(ids: items.map(\.listingID)).map { ($0.listingID, $0) }, uniquingKeysWith: { first, _ in first })
        var plan = RepricePlan(rule: "undo of run \(id) (\(run.rule))", selection: "the \(items.count) listings run \(id) repriced", items: [],
                               currency: items.first?.currency)
        plan.undoes = id
        for item in items {
            guard let now = current[item.listingID], now.price == item.newPrice else {
                plan.unchanged += 1     // repriced again since, or gone: left as it is
                continue
            }
            plan.items.append(RepriceItem(listingID: item.listingID, releaseID: item.releaseID, artist: now.artist, title: now.title, location: now.location,
                                          oldPrice: item.newPrice, newPrice: item.oldPrice, currency: item.currency, reason: "back to " + String(format: "%.2f", item.oldPrice)))
        }
        return plan
    }

    public func run(id: Int64) throws -> RepriceRun? {
        try database.read { db in try Self.runs(db, where: "r.id = ?", [id], limit: 1).first }
    }

    /// The recent runs, newest first.
    public func runs(limit: Int = 20) throws -> [RepriceRun] {
        try database.read { db in try Self.runs(db, where: "1", [], limit: limit) }
    }

    /// The runs still on their way (a job Discogs has not finished, edits not all confirmed).
    public func openRuns() throws -> [RepriceRun] {
        try runs(limit: 5).filter { $0.open > 0 }
    }

    /// A run's listings with what became of each (an edit's from its action).
    public func items(run: Int64) throws -> [RepriceItem] {
        try database.read { db in try Self.items(db, run: run) }
    }

    private static func items(_ db: Database, run: Int64) throws -> [RepriceItem] {
        try Row.fetchAll(db, sql: """
            SELECT i.*, l.artist, l.title, l.location, a.state AS action_state, a.message AS action_message
            FROM reprice_items i LEFT JOIN listings l ON l.listing_id = i.listing_id LEFT JOIN actions a ON a.id = i.action_id
            WHERE i.run_id = ? ORDER BY i.position
            """, arguments: [run]).map(item)
    }

    private static func item(_ row: Row) -> RepriceItem {
        let state = state(item: row["state"], action: row["action_state"])
        var message: String? = row["message"]
        if row["action_state"] as String? != nil { message = row["action_message"] ?? message }
        return RepriceItem(listingID: row["listing_id"], releaseID: row["release_id"], artist: row["artist"], title: row["title"],
                           location: row["location"], oldPrice: row["old_price"], newPrice: row["new_price"], currency: row["currency"],
                           reason: row["reason"], state: state, message: message, actionID: row["action_id"])
    }

    /// An item's state: its edit's, when it was sent as one; else its own (a job's rows).
    private static func state(item: String?, action: String?) -> RepriceItem.State {
        guard let action = action.flatMap(ActionState.init(rawValue:)) else { return item.flatMap(RepriceItem.State.init(rawValue:)) ?? .failed }
        return switch action {
        case .queued, .sending: .queued
        case .sent: .sent
        case .confirmed: .confirmed
        case .conflict: .conflict
        case .failed, .cancelled: .failed
        }
    }

    private static func runs(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible], limit: Int) throws -> [RepriceRun] {
        try Row.fetchAll(db, sql: "SELECT r.* FROM reprice_runs r WHERE \(condition) ORDER BY r.id DESC LIMIT ?",
                         arguments: StatementArguments(arguments + [limit])).map { row in
            let id: Int64 = row["id"]
            // Counted in SQL: every browser reads the open runs whenever the outbox moves, and
            // a run may hold 10,000 listings.
            var counts: [RepriceItem.State: Int] = [:]
            for count in try Row.fetchAll(db, sql: """
                SELECT i.state AS item_state, a.state AS action_state, count(*) AS n
                FROM reprice_items i LEFT JOIN actions a ON a.id = i.action_id WHERE i.run_id = ? GROUP BY i.state, a.state
                """, arguments: [id]) {
                counts[state(item: count["item_state"], action: count["action_state"]), default: 0] += count["n"] as Int
            }
            return RepriceRun(id: id, user: row["user"], createdAt: Timestamp.parse(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
                              rule: row["rule"], selection: row["selection"], method: RepriceRun.Method(rawValue: row["method"]) ?? .edits,
                              undoes: row["undoes"], jobURL: row["job_url"], jobStatus: row["job_status"],
                              finishedAt: Timestamp.parse(row["finished_at"]), counts: counts)
        }
    }

    // MARK: The sender's side of a job

    /// What Discogs holds of a listing, read from its inventory (an export) before and after a job.
    public struct DiscogsPrice: Sendable, Equatable {
        public var price: Double?
        public var status: ListingStatus
        public init(price: Double?, status: ListingStatus) {
            self.price = price
            self.status = status
        }
    }

    /// Before the job is posted: listings whose price on Discogs is no longer the one the run
    /// saw are refused row by row (conflicts), as single edits are; those already at their new
    /// price (a job whose answer was lost) wait for the verification. Returns the rows to send.
    public func prepareJob(run: Int64, discogs: [Int64: DiscogsPrice], now: Date = Date()) throws -> [RepriceItem] {
        try database.write(changing: .outbox) { db in
            var send: [RepriceItem] = []
            for item in try Self.items(db, run: run) where item.state.isOpen {
                let held = discogs[item.listingID]
                var conflict: String?
                if held == nil {
                    conflict = "listing \(item.listingID) is no longer on Discogs"
                } else if held?.status == .sold {
                    conflict = "listing \(item.listingID) was sold on Discogs"
                } else if let price = held?.price, !Self.same(price, item.newPrice), !Self.same(price, item.oldPrice) {
                    conflict = "price on Discogs is \(Money.format(price, currency: item.currency)), the run saw \(Money.format(item.oldPrice, currency: item.currency)): nothing was changed"
                }
                if let conflict {
                    try db.execute(sql: "UPDATE reprice_items SET state = 'conflict', message = ? WHERE run_id = ? AND listing_id = ?",
                                   arguments: [conflict, run, item.listingID])
                } else if let price = held?.price, Self.same(price, item.newPrice) {
                    continue
                } else {
                    send.append(item)
                }
            }
            return send
        }
    }

    /// Discogs took the job: where its status is read.
    public func jobStarted(run: Int64, url: String, now: Date = Date()) throws {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE reprice_runs SET job_url = ?, job_status = 'posted' WHERE id = ?", arguments: [url, run])
            try db.execute(sql: "UPDATE reprice_items SET state = 'sent' WHERE run_id = ? AND state = 'queued'", arguments: [run])
        }
    }

    /// The job's progress as Discogs words it (`wax outbox`, the status bar).
    public func jobStatus(run: Int64, _ status: String) throws {
        try database.write(changing: .outbox) { db in
            try db.execute(sql: "UPDATE reprice_runs SET job_status = ? WHERE id = ?", arguments: [status, run])
        }
    }

    /// After Discogs processed the job: each open listing whose price Discogs now shows is
    /// confirmed (the mirror takes the price, the history says who and what), any other is
    /// failed naming what Discogs holds. Returns how many of each.
    public func settle(run: Int64, discogs: [Int64: DiscogsPrice], results: String?, user: String, actionID: Int64, now: Date = Date())
        throws -> (confirmed: Int, failed: Int) {
        try database.write(changing: [.listings, .outbox]) { db in
            let stamp = Timestamp.string(now)
            let open = try Self.items(db, run: run).filter { $0.state.isOpen }
            let writer = try ListingWriter(db, now: now, scale: open.count > 200 ? .bulk : .few)
            var confirmed = 0, failed = 0
            for item in open {
                if let price = discogs[item.listingID]?.price, Self.same(price, item.newPrice) {
                    confirmed += 1
                    try db.execute(sql: "UPDATE reprice_items SET state = 'confirmed', message = NULL WHERE run_id = ? AND listing_id = ?",
                                   arguments: [run, item.listingID])
                    if var record = try? Actions.currentRecord(db, item.listingID).0, record.priceValue != item.newPrice {
                        record.priceValue = item.newPrice
                        try writer.upsert(record)
                    }
                    try db.execute(sql: """
                        INSERT INTO listing_changes(listing_id, change, field, old_value, new_value, changed_at, user, action_id)
                        VALUES (?, 'updated', 'price', ?, ?, ?, ?, ?)
                        """, arguments: [item.listingID, Money.format(item.oldPrice, currency: item.currency), Money.format(item.newPrice, currency: item.currency),
                                         stamp, user, actionID])
                } else {
                    failed += 1
                    let held = discogs[item.listingID]?.price.map { Money.format($0, currency: item.currency) } ?? "no such listing"
                    try db.execute(sql: "UPDATE reprice_items SET state = 'failed', message = ? WHERE run_id = ? AND listing_id = ?",
                                   arguments: ["Discogs shows \(held) after the job, not \(Money.format(item.newPrice, currency: item.currency))\(results.map { " (\(Self.firstLine($0)))" } ?? "")",
                                               run, item.listingID])
                }
            }
            try db.execute(sql: "UPDATE reprice_runs SET job_status = 'verified', finished_at = ? WHERE id = ?", arguments: [stamp, run])
            return (confirmed, failed)
        }
    }

    /// A job that can't go on (refused whole by Discogs, another user's token): every open
    /// listing of the run is failed with the reason.
    static func refuseOpenItems(_ db: Database, run: Int64, message: String, stamp: String) throws {
        try db.execute(sql: "UPDATE reprice_items SET state = 'failed', message = ? WHERE run_id = ? AND state IN ('queued', 'sent')",
                       arguments: [message, run])
        try db.execute(sql: "UPDATE reprice_runs SET finished_at = ?, job_status = 'refused' WHERE id = ?", arguments: [stamp, run])
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 0.005 }

    static func firstLine(_ text: String) -> String {
        text.replacingOccurrences(of: "<p>", with: "; ").split(separator: "\n").first.map(String.init) ?? text
    }
}
