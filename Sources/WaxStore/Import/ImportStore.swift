import Foundation
import GRDB
import GRDBSQLite

/// What an import did to the mirror.
public struct ImportOutcome: Sendable, Equatable {
    public var imported = 0
    public var updated = 0
    public var unchanged = 0
    public var cleared = 0
    /// How the rows reached the file (an empty mirror filled alone skips the WAL).
    public var journal = WriteJournal.wal
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

/// CSV imports into the mirror (the old app's migration and `wax import`).
public struct ImportStore: Sendable {
    let database: MirrorDatabase

    /// Upserts listings (and the release details a CSV carried) by listing id in one
    /// transaction. A listing marked removed that appears again is current again.
    /// With `clearFirst`, every listing is deleted first, in the same transaction, but only when
    /// there are listings to put in their place: an import whose every row failed must not
    /// empty the mirror.
    public func importListings(_ records: [ListingRecord], releases: [ReleaseRecord] = [], clearFirst: Bool = false) throws -> ImportOutcome {
        let clearFirst = clearFirst && !records.isEmpty
        var clock = PhaseClock()
        var outcome = try database.fill(changing: .listings) { db, journal in
            var outcome = ImportOutcome()
            outcome.journal = journal
            let existing: [Int64: StoredListings.Fingerprint]
            if clearFirst {
                outcome.cleared = try Int.fetchOne(db, sql: "SELECT count(*) FROM listings") ?? 0
                existing = [:]
            } else {
                existing = try StoredListings.fingerprints(db, withRaw: true)
            }
            // A CSV carries no raw JSON: keep what a sync stored rather than erasing it.
            let needRaw = Set(records.filter { $0.rawJSON == nil && existing[$0.listingID]?.hasRaw == true }.map(\.listingID))
            let raws = try StoredListings.rawJSON(db, ids: Array(needRaw))
            let bulk = records.count + outcome.cleared > FullTextIndex.bulkThreshold
            // Releases first, while listings still have their release_id index: storing one
            // refreshes the genres of the listings already holding it.
            clock.lap("compare")
            let writer = try ListingWriter(db, scale: .bulk)
            // In id order, like the listings below (the file's order is random by release id).
            for index in ListingWriter.writingOrder(releases.map(\.releaseID)) { try writer.upsert(releases[index]) }
            clock.lap("releases")
            try FullTextIndex.maintain(db, bulk: bulk, clock: &clock) {
                if clearFirst {
                    try db.execute(sql: "DELETE FROM listing_raw; DELETE FROM listings;")
                }
                // New rows are numbered in file order (the order ties in time keep), written in id order.
                let firstSeq = try writer.reserveSeqs(records.count)
                for index in ListingWriter.writingOrder(records.map(\.listingID)) {
                    let seq = firstSeq + Int64(index)
                    // One at a time: a canonical copy of a million listings was 600 MB.
                    let record = records[index].canonicalized
                    if let old = existing[record.listingID] {
                        var comparable = record
                        if comparable.rawJSON == nil { comparable.rawJSON = raws[record.listingID] }
                        if ContentHash.of(comparable) == old.hash && !old.removed {
                            outcome.unchanged += 1
                            continue
                        }
                        try writer.upsert(comparable, seq: seq)
                        outcome.updated += 1
                    } else {
                        try writer.upsert(record, seq: seq)
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
}
