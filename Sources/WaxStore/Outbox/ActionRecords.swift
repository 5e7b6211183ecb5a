import Foundation
import GRDB

/// The outbox's tables as GRDB records: each column named once (`Columns`), rows written and
/// read by name, never by position; a row that names a kind or a state no wax knows is an
/// error naming the row.
struct ActionRow: Codable, FetchableRecord, MutablePersistableRecord, SnakeCaseRecord {
    static let databaseTableName = "actions"

    enum Columns {
        static let id = Column("id")
        static let kind = Column("kind")
        static let listingID = Column("listing_id")
        static let orderID = Column("order_id")
        static let runID = Column("run_id")
        static let user = Column("user")
        static let state = Column("state")
        static let nextAttemptAt = Column("next_attempt_at")
        static let undoes = Column("undoes")
    }

    var id: Int64?
    var kind: String
    var listingId: Int64?
    var orderId: String?
    var runId: Int64?
    var user: String
    var createdAt: String
    var expected: String
    var change: String
    var note: String?
    var state: String
    var attempts: Int
    var nextAttemptAt: String?
    var message: String?
    var updatedAt: String
    var undoes: Int64?

    init(_ action: CounterAction) throws {
        id = action.id == 0 ? nil : action.id
        kind = action.kind.rawValue
        switch action.target {
        case .listing(let listing): listingId = listing
        case .order(let order): orderId = order
        case .run(let run): runId = run
        }
        user = action.user
        createdAt = Timestamp.string(action.createdAt)
        expected = try Self.encode(action.expected)
        change = try Self.encode(action.change)
        note = action.note
        state = action.state.rawValue
        attempts = action.attempts
        nextAttemptAt = action.nextAttemptAt.map(Timestamp.string)
        message = action.message
        updatedAt = Timestamp.string(action.updatedAt)
        undoes = action.undoes
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The action this row holds; an unknown kind or state, or a row with no target, is an
    /// `UnreadableAction` naming the row (never a guess: an unknown kind had read as a reprice).
    func action() throws -> CounterAction {
        let id = self.id ?? 0
        guard let kind = ActionKind(rawValue: kind) else { throw UnreadableAction(id: id, problem: "unknown kind \"\(self.kind)\"") }
        guard let state = ActionState(rawValue: state) else { throw UnreadableAction(id: id, problem: "unknown state \"\(self.state)\"") }
        let target: ActionTarget
        switch (kind.spec.target, listingId, orderId, runId) {
        case (.listing, let listing?, _, _): target = .listing(listing)
        case (.order, _, let order?, _): target = .order(order)
        case (.run, _, _, let run?): target = .run(run)
        default: throw UnreadableAction(id: id, problem: "a \(kind.rawValue) without its \(kind.spec.target)")
        }
        return CounterAction(id: id, kind: kind, target: target, user: user, createdAt: Timestamp.parse(createdAt) ?? Date(timeIntervalSince1970: 0),
                             expected: try Self.decode(expected, row: id), change: try Self.decode(change, row: id), note: note, state: state,
                             attempts: attempts, nextAttemptAt: Timestamp.parse(nextAttemptAt), message: message,
                             updatedAt: Timestamp.parse(updatedAt), undoes: undoes)
    }

    static func encode(_ fields: ListingFields) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(fields), as: UTF8.self)
    }

    static func decode(_ text: String, row: Int64) throws -> ListingFields {
        do {
            return try JSONDecoder().decode(ListingFields.self, from: Data(text.utf8))
        } catch {
            throw UnreadableAction(id: row, problem: "its fields are not readable JSON")
        }
    }
}

/// Who keeps a listing aside, and why.
struct HoldRow: Codable, FetchableRecord, PersistableRecord, SnakeCaseRecord {
    static let databaseTableName = "holds"

    enum Columns {
        static let listingID = Column("listing_id")
        static let actionID = Column("action_id")
    }

    var listingId: Int64
    var user: String
    var note: String?
    var heldAt: String
    var actionId: Int64?
}

/// What the outbox's two sides share: reading actions (with the listing's artist, title and
/// bin to name them), the listing as the mirror has it, the history lines actions write.
enum Actions {
    static func fetch(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible], limit: Int,
                      ascending: Bool = false) throws -> [CounterAction] {
        try Row.fetchAll(db, sql: """
            SELECT a.*, l.artist AS listing_artist, l.title AS listing_title, l.location AS listing_location
            FROM actions a LEFT JOIN listings l ON l.listing_id = a.listing_id
            WHERE \(condition) ORDER BY a.id \(ascending ? "ASC" : "DESC") LIMIT \(limit)
            """, arguments: StatementArguments(arguments)).map { row in
            var action = try ActionRow(row: row).action()
            action.artist = row["listing_artist"]
            action.title = row["listing_title"]
            action.location = row["listing_location"]
            return action
        }
    }

    static func one(_ db: Database, _ id: Int64) throws -> CounterAction? {
        try fetch(db, where: "a.id = ?", [id], limit: 1).first
    }

    static func insert(_ db: Database, _ action: CounterAction) throws -> CounterAction {
        var row = try ActionRow(action)
        try row.insert(db)
        var inserted = action
        inserted.id = row.id ?? 0
        return inserted
    }

    /// The listing as the mirror has it, and why it was removed (nil while current).
    static func currentRecord(_ db: Database, _ id: Int64) throws -> (ListingRecord, removed: RemovalReason?) {
        guard let row = try Row.fetchOne(db, sql: "SELECT l.*, NULL AS raw_json FROM listings l WHERE listing_id = ?", arguments: [id]) else {
            throw ActionRefusal(.noListing(id))
        }
        var record = ListingRecord(row: row)
        record.rawJSON = nil   // Discogs' own words stay as Discogs last sent them
        let removedAt: String? = row["removed_at"]
        let reason: String? = row["removed_reason"]
        return (record, removedAt == nil ? nil : RemovalReason(text: reason ?? "removed"))
    }

    static func hold(_ db: Database, _ id: Int64) throws -> HoldRow? {
        try HoldRow.fetchOne(db, key: id)
    }

    /// A line of a listing's history, said by an action.
    static func history(_ db: Database, _ action: CounterAction, _ change: ListingChange.Kind, field: String?, old: String?, new: String?,
                        at stamp: String) throws {
        guard let listing = action.listingID else { return }
        try db.execute(sql: """
            INSERT INTO listing_changes(listing_id, change, field, old_value, new_value, changed_at, user, action_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [listing, change.rawValue, field, old, new, stamp, action.user, action.id])
    }

    /// Local values of listings with open actions (merged in order, the later one winning field
    /// by field), and the listings being taken off sale: a sync must not put back what staff
    /// just changed.
    static func openOverlay(_ db: Database) throws -> (fields: [Int64: ListingFields], leaving: Set<Int64>) {
        var fields: [Int64: ListingFields] = [:]
        var leaving = Set<Int64>()
        for action in try fetch(db, where: "a.state IN (\(ActionState.openSQL)) AND a.order_id IS NULL", [], limit: 100_000, ascending: true) {
            guard let listing = action.listingID else { continue }
            if case .leavesList = action.kind.spec.effect { leaving.insert(listing) }
            fields[listing] = action.change.merged(over: fields[listing] ?? ListingFields())
        }
        return (fields, leaving)
    }

    static func heldIDs(_ db: Database) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db, sql: "SELECT listing_id FROM holds"))
    }
}
