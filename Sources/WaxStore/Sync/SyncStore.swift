import Foundation
import GRDB
import GRDBSQLite
import WaxConfig

/// A verified snapshot from Discogs, ready to apply to the mirror in one transaction.
/// What started a sync: kept in `sync_runs`, shown in the changes view and the lock file.
public enum SyncTrigger: String, Sendable { case startup = "start-up", schedule, key, cli, api, demo, test }

public struct SnapshotApply: Sendable {
    /// Listings as Discogs describes them now. Each is inserted, updated (only when a field
    /// really changed) or left alone. Listings not in here are not touched unless removed.
    public var listings: SnapshotListings
    /// Listings Discogs described exactly as the mirror held them when the sync read them
    /// (`MirrorFingerprints`): listed, and left alone.
    public var unchanged: [Int64]
    /// Listings Discogs confirmed gone, with why.
    public var removals: [Int64: RemovalReason]
    /// The seller object, kept once instead of in every listing's raw JSON.
    public var seller: SellerRecord?
    public var trigger: SyncTrigger
    public var startedAt: Date
    public var requests: Int
    /// Listings Discogs reported but the sync could not reach (the non-owner paging cap).
    public var unreachable: Int
    /// Called inside the transaction, just before it commits (fault injection in tests).
    public var beforeCommit: (@Sendable () -> Void)?

    public init(listings: [ListingRecord], unchanged: [Int64] = [], removals: [Int64: RemovalReason] = [:], seller: SellerRecord? = nil,
                trigger: SyncTrigger, startedAt: Date = Date(), requests: Int = 0, unreachable: Int = 0,
                beforeCommit: (@Sendable () -> Void)? = nil) {
        self.init(listings: SnapshotListings(listings), unchanged: unchanged, removals: removals, seller: seller, trigger: trigger,
                  startedAt: startedAt, requests: requests, unreachable: unreachable, beforeCommit: beforeCommit)
    }

    public init(listings: SnapshotListings, unchanged: [Int64] = [], removals: [Int64: RemovalReason] = [:], seller: SellerRecord? = nil,
                trigger: SyncTrigger, startedAt: Date = Date(), requests: Int = 0, unreachable: Int = 0,
                beforeCommit: (@Sendable () -> Void)? = nil) {
        self.listings = listings
        self.unchanged = unchanged
        self.removals = removals
        self.seller = seller
        self.trigger = trigger
        self.startedAt = startedAt
        self.requests = requests
        self.unreachable = unreachable
        self.beforeCommit = beforeCommit
    }
}

/// The content hash of each current listing of the mirror (see `SyncStore.fingerprints`).
public struct MirrorFingerprints: Sendable {
    let hashes: [Int64: Int64]

    public static let none = MirrorFingerprints(hashes: [:])

    /// How many current listings the mirror holds.
    public var count: Int { hashes.count }

    /// Whether the mirror holds `record` as it is, to the last field of Discogs' JSON.
    public func holds(_ record: ListingRecord) -> Bool {
        guard let hash = hashes[record.listingID] else { return false }
        var canonical = record
        canonical.canonicalize()
        return ContentHash.of(canonical) == hash
    }
}

public struct SellerRecord: Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var json: String
    public init(id: Int64, username: String, json: String) {
        self.id = id
        self.username = username
        self.json = json
    }
}

/// What applying a snapshot changed.
public struct ApplyCounts: Sendable, Equatable {
    /// Seconds spent in each step of the transaction.
    public var phases: [ImportOutcome.Phase] = []
    /// How the rows reached the file (an empty mirror filled alone skips the WAL).
    public var journal = WriteJournal.wal
    public var syncRunID: Int64 = 0
    public var added = 0
    public var updated = 0
    public var removed = 0
    public var unchanged = 0
    public var total = 0

    public init() {}
}

/// What a sync writes: snapshots applied in one transaction, release details, failed runs;
/// and what it reads to plan the next requests.
public struct SyncStore: Sendable {
    let database: MirrorDatabase

    /// Current listings' ids and statuses: what a sync compares its snapshot with.
    /// Held listings are left out: they are Drafts on Discogs because of wax, not gone.
    public func mirroredStatuses() throws -> [Int64: ListingStatus] {
        try database.read { db in
            var result: [Int64: ListingStatus] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT listing_id, status FROM listings WHERE removed_at IS NULL AND listing_id > 0
                AND listing_id NOT IN (SELECT listing_id FROM holds)
                """)
            while let row = try rows.next() { result[row[0]] = row[1] }
            return result
        }
    }

    /// What the mirror holds of each current listing, for a sync to tell as it reads which
    /// listings Discogs describes exactly as the mirror does: those it keeps as ids alone, so
    /// that an hourly sync holds what changed, not the whole shop.
    public func fingerprints() throws -> MirrorFingerprints {
        try database.read { db in
            var hashes: [Int64: Int64] = [:]
            hashes.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM listings WHERE removed_at IS NULL") ?? 0)
            try SQLiteRows.step(db, sql: "SELECT listing_id, content_hash FROM listings WHERE removed_at IS NULL") { handle in
                hashes[sqlite3_column_int64(handle, 0)] = sqlite3_column_int64(handle, 1)
            }
            return MirrorFingerprints(hashes: hashes)
        }
    }

    /// Applies a snapshot in one transaction: inserts, updates of changed fields (each change
    /// recorded in `listing_changes`), removals, and the run's `sync_runs` row. Either all of it
    /// lands or none of it does.
    ///
    /// A large snapshot's listings are read back from its spool one at a time as they are
    /// written (see `SnapshotListings`); the engine hands over the only reference to them.
    public func applySnapshot(_ snapshot: consuming SnapshotApply, now: Date = Date()) throws -> ApplyCounts {
        var clock = PhaseClock()
        var listings = snapshot.listings
        snapshot.listings = SnapshotListings()
        var counts = try database.fill(changing: [.listings, .holds]) { db, journal in
            var counts = ApplyCounts()
            counts.journal = journal
            let stamp = Timestamp.string(now)
            // The old app's `export_timestamp` of the rows this snapshot writes.
            let exported = LegacyTimestamp.string(snapshot.startedAt)
            try db.execute(sql: """
                INSERT INTO sync_runs(trigger, started_at, outcome, host, pid) VALUES (?, ?, 'running', ?, ?)
                """, arguments: [snapshot.trigger.rawValue, Timestamp.string(snapshot.startedAt),
                                 ProcessInfo.processInfo.hostName, Int(getpid())])
            counts.syncRunID = db.lastInsertedRowID
            // Staff actions still on their way to Discogs win over what Discogs said a moment
            // ago: a record sold at the counter is not put back, a new price not undone.
            let overlay = try Actions.openOverlay(db)
            let held = try Actions.heldIDs(db)
            // A new listing Discogs has before its creation was confirmed here: the sender adopts
            // it (with its history); the sync leaves it to the sender.
            let creating = Set(try String.fetchAll(db, sql: """
                SELECT note FROM actions WHERE kind = '\(ActionKind.create.rawValue)' AND state IN (\(ActionState.openSQL)) AND note IS NOT NULL
                """))
            if !overlay.leaving.isEmpty { listings.removeAll { overlay.leaving.contains($0) } }
            if !creating.isEmpty {
                var adopted: Set<Int64> = []
                for index in listings.ids.indices {
                    guard let external = try listings.record(at: index).externalID else { continue }
                    if creating.contains(where: { external.contains("[\($0)]") }) { adopted.insert(listings.ids[index]) }
                }
                listings.removeAll { adopted.contains($0) }
            }
            /// A listing as it is written: in canonical form, under staff's actions on their way.
            func written(_ index: Int) throws -> ListingRecord {
                var listing = try listings.record(at: index)
                listing.canonicalize()
                overlay.fields[listing.listingID]?.apply(to: &listing)
                return listing
            }
            let unchanged = snapshot.unchanged.filter { !overlay.leaving.contains($0) }
            // A held listing for sale again on Discogs was released there.
            let releasedElsewhere = (listings.ids + unchanged).filter { held.contains($0) && overlay.fields[$0] == nil }
            for id in releasedElsewhere { try db.execute(sql: "DELETE FROM holds WHERE listing_id = ?", arguments: [id]) }
            counts.unchanged += unchanged.count
            let removals = snapshot.removals.filter { id, _ in
                !held.contains(id) && overlay.fields[id] == nil && !overlay.leaving.contains(id)
            }
            let stored = try StoredListings.fingerprints(db, withRaw: false)
            // On a first sync everything is new: the history would only say so 100,000 times.
            let recordAdditions = !stored.isEmpty
            var changedIDs: [Int64] = []
            for (index, id) in listings.ids.enumerated() {
                guard let old = stored[id] else { continue }
                if try old.removed || old.hash != ContentHash.of(written(index)) { changedIDs.append(id) }
            }
            // Full rows only for the few that changed: their field-by-field differences go to history.
            let existing = try StoredListings.existingRecords(db, ids: changedIDs)
            clock.lap("compare")
            let changeStatement = try db.cachedStatement(sql: """
                INSERT INTO listing_changes(sync_run_id, listing_id, change, field, old_value, new_value, changed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            func record(_ id: Int64, _ change: ListingChange.Kind, _ field: String?, _ old: String?, _ new: String?) throws {
                try changeStatement.execute(arguments: [counts.syncRunID, id, change.rawValue, field, old, new, stamp])
            }
            let newCount = listings.ids.count { stored[$0] == nil }
            let bulk = changedIDs.count + newCount + removals.count > FullTextIndex.bulkThreshold
            try FullTextIndex.maintain(db, bulk: bulk, clock: &clock) {
                let writer = try ListingWriter(db, now: now, scale: bulk ? .bulk : .few)
                // New rows are numbered in Discogs' order (the order ties in time keep), written in id order.
                let firstSeq = try writer.reserveSeqs(listings.count)
                for index in ListingWriter.writingOrder(listings.ids) {
                    let id = listings.ids[index]
                    guard stored[id] != nil else {
                        try writer.upsert(try written(index), exportedAt: exported, seq: firstSeq + Int64(index))
                        if recordAdditions { try record(id, .added, nil, nil, nil) }
                        counts.added += 1
                        continue
                    }
                    guard let old = existing[id] else {
                        counts.unchanged += 1
                        continue
                    }
                    let listing = try written(index)
                    try writer.upsert(listing, exportedAt: exported)
                    let differences = TrackedField.differences(from: old.record, to: listing)
                    // Community counts, images and the like are refreshed silently: staff hear
                    // about prices, conditions, shelves, not about someone's wantlist.
                    if differences.isEmpty && !old.removed {
                        counts.unchanged += 1
                        continue
                    }
                    counts.updated += 1
                    if old.removed { try record(id, .updated, "removed", "removed", "listed again") }
                    for difference in differences {
                        try record(id, .updated, difference.field.rawValue, difference.old, difference.new)
                    }
                }
            for (id, reason) in removals.sorted(by: { $0.key < $1.key }) {
                    try writer.markRemoved(id, reason: reason)
                    if db.changesCount > 0 {
                        try record(id, .removed, reason.text, nil, nil)
                        counts.removed += 1
                    }
                }
            }
            if let seller = snapshot.seller {
                try db.execute(sql: """
                    INSERT INTO sellers(seller_id, username, json, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(seller_id) DO UPDATE SET username = excluded.username, json = excluded.json, updated_at = excluded.updated_at
                    """, arguments: [seller.id, seller.username, seller.json, stamp])
            }
            counts.total = try Int.fetchOne(db, sql: "SELECT count(*) FROM listings WHERE removed_at IS NULL") ?? 0
            try db.execute(sql: """
                UPDATE sync_runs SET finished_at = ?, outcome = 'succeeded', added = ?, updated = ?, removed = ?,
                    unchanged = ?, total = ?, requests = ?, unreachable = ? WHERE id = ?
                """, arguments: [stamp, counts.added, counts.updated, counts.removed, counts.unchanged, counts.total,
                                 snapshot.requests, snapshot.unreachable, counts.syncRunID])
            snapshot.beforeCommit?()
            return counts
        }
        clock.lap("commit")
        counts.phases = clock.phases
        return counts
    }

    /// Records a sync that failed: the listings are untouched, only the history grows.
    @discardableResult
    public func recordFailedSync(trigger: SyncTrigger, startedAt: Date, requests: Int, error: String, now: Date = Date()) throws -> Int64 {
        try database.writeBookkeeping { db in
            try db.execute(sql: """
                INSERT INTO sync_runs(trigger, started_at, finished_at, outcome, requests, error, host, pid)
                VALUES (?, ?, ?, 'failed', ?, ?, ?, ?)
                """, arguments: [trigger.rawValue, Timestamp.string(startedAt), Timestamp.string(now), requests, error,
                                 ProcessInfo.processInfo.hostName, Int(getpid())])
            return db.lastInsertedRowID
        }
    }

    /// Stores release details fetched from Discogs and refreshes the genres and styles of every
    /// listing of those releases (search, filters and facets see them at once).
    public func storeReleases(_ releases: [ReleaseRecord], now: Date = Date()) throws {
        guard !releases.isEmpty else { return }
        try database.write { db in
            let writer = try ListingWriter(db, now: now)
            for release in releases { try writer.upsert(release) }
        }
    }

    /// How many releases of current listings Discogs has not described yet.
    public func pendingReleaseCount() throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (
                    SELECT DISTINCT release_id FROM listings INDEXED BY l_scan WHERE removed_at IS NULL AND release_id IS NOT NULL) d
                WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.release_id = d.release_id AND r.fetched_at IS NOT NULL)
                """) ?? 0
        }
    }

    /// Releases of current listings that Discogs has not described yet, most listed first.
    public func releasesNeedingDetails(limit: Int = .max) throws -> [Int64] {
        try database.read { db in
            try Int64.fetchAll(db, sql: """
                SELECT l.release_id FROM listings l INDEXED BY l_scan LEFT JOIN releases r ON r.release_id = l.release_id
                WHERE l.removed_at IS NULL AND l.release_id IS NOT NULL AND r.fetched_at IS NULL
                GROUP BY l.release_id ORDER BY count(*) DESC, l.release_id LIMIT ?
                """, arguments: [limit == .max ? -1 : limit])
        }
    }
}
