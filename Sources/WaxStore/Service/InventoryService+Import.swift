import Foundation
import GRDB
import GRDBSQLite

/// What an import did to the mirror.
public struct ImportOutcome: Sendable, Equatable {
    public var imported = 0
    public var updated = 0
    public var unchanged = 0
    public var cleared = 0
    /// Seconds spent in each step, for `wax-bench` and the log.
    public var phases: [Phase] = []

    public struct Phase: Sendable, Equatable {
        public var name: String
        public var seconds: Double
    }
}

/// Times the steps of a write.
struct PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var phases: [ImportOutcome.Phase] = []

    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        phases.append(.init(name: name, seconds: Double(now - last) / 1e9))
        last = now
    }
}

extension InventoryService {
    /// Upserts listings (and the release details a CSV carried) by listing id in one
    /// transaction. A listing marked removed that appears again is current again.
    /// With `clearFirst`, every listing is deleted first, in the same transaction, but only when
    /// there are listings to put in their place: an import whose every row failed must not
    /// empty the mirror.
    public func importListings(_ records: [ListingRecord], releases: [ReleaseRecord] = [], clearFirst: Bool = false) throws -> ImportOutcome {
        let records = records.map(\.canonicalized)
        let clearFirst = clearFirst && !records.isEmpty
        var clock = PhaseClock()
        var outcome = try database.write { db in
            var outcome = ImportOutcome()
            let existing: [Int64: StoredFingerprint]
            if clearFirst {
                outcome.cleared = try Int.fetchOne(db, sql: "SELECT count(*) FROM listings") ?? 0
                existing = [:]
            } else {
                existing = try Self.fingerprints(db, withRaw: true)
            }
            // A CSV carries no raw JSON: keep what a sync stored rather than erasing it.
            let needRaw = Set(records.filter { $0.rawJSON == nil && existing[$0.listingID]?.hasRaw == true }.map(\.listingID))
            let raws = try Self.rawJSON(db, ids: Array(needRaw))
            let bulk = records.count + outcome.cleared > FullTextIndex.bulkThreshold
            // Releases first, while listings still have their release_id index: storing one
            // refreshes the genres of the listings already holding it.
            clock.lap("compare")
            let writer = try ListingWriter(db)
            for release in releases { try writer.upsert(release) }
            clock.lap("releases")
            try FullTextIndex.maintain(db, bulk: bulk, clock: &clock) {
                if clearFirst {
                    try db.execute(sql: "DELETE FROM listing_raw; DELETE FROM listings;")
                }
                for record in records {
                    if let old = existing[record.listingID] {
                        var comparable = record
                        if comparable.rawJSON == nil { comparable.rawJSON = raws[record.listingID] }
                        if ContentHash.of(comparable) == old.hash && !old.removed {
                            outcome.unchanged += 1
                            continue
                        }
                        try writer.upsert(comparable)
                        outcome.updated += 1
                    } else {
                        try writer.upsert(record)
                        outcome.imported += 1
                    }
                }
            }
            return outcome
        }
        clock.lap("commit")
        outcome.phases = clock.phases
        return outcome
    }

    struct StoredFingerprint {
        var hash: Int64
        var removed: Bool
        var hasRaw: Bool
    }

    /// Every listing's content hash: comparing a snapshot with the mirror reads these, not rows.
    /// `withRaw` also says which rows have raw JSON (a CSV import keeps it; a sync brings its own).
    static func fingerprints(_ db: Database, withRaw: Bool) throws -> [Int64: StoredFingerprint] {
        var result: [Int64: StoredFingerprint] = [:]
        result.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM listings") ?? 0)
        try SQLiteRows.step(db, sql: withRaw ? """
            SELECT l.listing_id, l.content_hash, l.removed_at IS NOT NULL, lr.listing_id IS NOT NULL
            FROM listings l LEFT JOIN listing_raw lr ON lr.listing_id = l.listing_id
            """ : "SELECT listing_id, content_hash, removed_at IS NOT NULL, 0 FROM listings") { handle in
            result[sqlite3_column_int64(handle, 0)] = StoredFingerprint(
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
