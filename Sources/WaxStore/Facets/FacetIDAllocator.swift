import Foundation
import GRDB

/// Hands out `facet_values` ids inside a write transaction, creating a row the first time a
/// value (folded) is seen. Loads the whole dictionary once per write: a few thousand rows.
final class FacetIDAllocator {
    private let db: Database
    private var ids: [FacetKind: [String: Int64]] = [:]
    /// Exact labels already seen, so repeated values skip folding.
    private var byLabel: [FacetKind: [String: Int64]] = [:]

    init(_ db: Database) throws {
        self.db = db
        let rows = try Row.fetchCursor(db, sql: "SELECT id, kind, key FROM facet_values")
        while let row = try rows.next() {
            guard let kind = FacetKind(rawValue: row[1]) else { continue }
            ids[kind, default: [:]][row[2]] = row[0]
        }
    }

    func id(_ kind: FacetKind, _ label: String?) throws -> Int64? {
        guard let raw = label else { return nil }
        if let id = byLabel[kind]?[raw] { return id }
        let label = raw.trimmed
        guard !label.isEmpty else { return nil }
        let key = TextFold.fold(label)
        if let id = ids[kind]?[key] {
            byLabel[kind, default: [:]][raw] = id
            return id
        }
        let statement = try db.cachedStatement(sql: "INSERT INTO facet_values(kind, key, label) VALUES (?, ?, ?)")
        try statement.execute(arguments: [kind.rawValue, key, label])
        let id = db.lastInsertedRowID
        ids[kind, default: [:]][key] = id
        byLabel[kind, default: [:]][raw] = id
        return id
    }
}
