import Foundation
import GRDB
import GRDBSQLite

/// What an import and a sync both read to compare incoming listings with the mirror's: a
/// fingerprint per listing, and whole rows only for the few that changed.
enum StoredListings {
    struct Fingerprint {
        var hash: Int64
        var removed: Bool
        var hasRaw: Bool
    }

    /// Whether the mirror has no listing at all, current or removed.
    static func none(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM listings)") ?? false
    }

    /// Every listing's content hash: comparing a snapshot with the mirror reads these, not rows.
    /// `withRaw` also says which rows have raw JSON (a CSV import keeps it; a sync brings its own).
    static func fingerprints(_ db: Database, withRaw: Bool) throws -> [Int64: Fingerprint] {
        var result: [Int64: Fingerprint] = [:]
        result.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM listings") ?? 0)
        try SQLiteRows.step(db, sql: withRaw ? """
            SELECT l.listing_id, l.content_hash, l.removed_at IS NOT NULL, lr.listing_id IS NOT NULL
            FROM listings l LEFT JOIN listing_raw lr ON lr.listing_id = l.listing_id
            """ : "SELECT listing_id, content_hash, removed_at IS NOT NULL, 0 FROM listings") { handle in
            result[sqlite3_column_int64(handle, 0)] = Fingerprint(
                hash: sqlite3_column_int64(handle, 1), removed: sqlite3_column_int(handle, 2) != 0, hasRaw: sqlite3_column_int(handle, 3) != 0)
        }
        return result
    }

    static func rawJSON(_ db: Database, ids: [Int64]) throws -> [Int64: String] {
        var result: [Int64: String] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            for row in try Row.fetchAll(db, sql: "SELECT listing_id, json FROM listing_raw WHERE listing_id IN (\(chunk.map(String.init).joined(separator: ",")))") {
                result[row[0]] = row[1]
            }
        }
        return result
    }

    static func existingRecords(_ db: Database, ids: [Int64]) throws -> [Int64: (record: ListingRecord, removed: Bool)] {
        var result: [Int64: (ListingRecord, Bool)] = [:]
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM listings)") == true else { return [:] }
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT l.*, lr.json AS raw_json FROM listings l LEFT JOIN listing_raw lr ON lr.listing_id = l.listing_id
                WHERE l.listing_id IN (\(chunk.map(String.init).joined(separator: ",")))
                """)
            while let row = try rows.next() {
                let record = ListingRecord(row: row)
                let removed: String? = row["removed_at"]
                result[record.listingID] = (record, removed != nil)
            }
        }
        return result
    }
}
