import Foundation
import GRDB

/// Hands out `facet_values` ids inside a write transaction, creating a row the first time a
/// value (folded) is seen. A bulk write loads the whole dictionary once; a write of a few rows
/// looks each value up.
final class FacetIDAllocator {
    private let db: Database
    private let preloaded: Bool
    private var ids: [FacetKind: [String: Int64]] = [:]
    /// Exact labels already seen, so repeated values skip folding.
    private var byLabel: [FacetKind: [String: Int64]] = [:]

    init(_ db: Database, preload: Bool = true) throws {
        self.db = db
        self.preloaded = preload
        guard preload else { return }
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
        if !preloaded, let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM facet_values WHERE kind = ? AND key = ?"),
                                                    arguments: [kind.rawValue, key]) {
            ids[kind, default: [:]][key] = id
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
