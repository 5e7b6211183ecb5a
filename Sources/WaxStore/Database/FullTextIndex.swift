import Foundation
import GRDB

/// Keeps the two external-content FTS5 indexes in step with `listings`.
///
/// Small writes go through triggers. A bulk write (an import, a first sync) drops the triggers,
/// writes, and rebuilds both indexes once, inside the same transaction: 0.3 s instead of many
/// seconds of per-row index maintenance, and readers never see a half-built index.
enum FullTextIndex {
    static let columns = ListingColumn.searchable.map(\.name)
    /// What each schema indexed (a migration keeps its own list: it never changes).
    static let v1Columns = ["artist", "title", "label", "catalog_number", "genres", "styles", "location", "comments"]
    static let v2Columns = v1Columns + ["search_codes"]

    /// Above this many written rows a write rebuilds the index instead of maintaining it per row.
    static let bulkThreshold = 2_000

    static func createTriggers(_ db: Database, columns: [String] = columns) throws {
        func values(_ prefix: String) -> String { columns.map { "\(prefix).\($0)" }.joined(separator: ", ") }
        let columnList = columns.joined(separator: ", ")
        try db.execute(sql: """
        CREATE TRIGGER listings_fts_insert AFTER INSERT ON listings BEGIN
            INSERT INTO listings_fts(rowid, \(columnList))
                SELECT new.listing_id, \(values("new")) WHERE new.removed_at IS NULL;
            INSERT INTO removed_fts(rowid, \(columnList))
                SELECT new.listing_id, \(values("new")) WHERE new.removed_at IS NOT NULL;
        END;
        CREATE TRIGGER listings_fts_delete AFTER DELETE ON listings BEGIN
            INSERT INTO listings_fts(listings_fts, rowid, \(columnList))
                SELECT 'delete', old.listing_id, \(values("old")) WHERE old.removed_at IS NULL;
            INSERT INTO removed_fts(removed_fts, rowid, \(columnList))
                SELECT 'delete', old.listing_id, \(values("old")) WHERE old.removed_at IS NOT NULL;
        END;
        CREATE TRIGGER listings_fts_update AFTER UPDATE OF \(columnList), removed_at ON listings BEGIN
            INSERT INTO listings_fts(listings_fts, rowid, \(columnList))
                SELECT 'delete', old.listing_id, \(values("old")) WHERE old.removed_at IS NULL;
            INSERT INTO removed_fts(removed_fts, rowid, \(columnList))
                SELECT 'delete', old.listing_id, \(values("old")) WHERE old.removed_at IS NOT NULL;
            INSERT INTO listings_fts(rowid, \(columnList))
                SELECT new.listing_id, \(values("new")) WHERE new.removed_at IS NULL;
            INSERT INTO removed_fts(rowid, \(columnList))
                SELECT new.listing_id, \(values("new")) WHERE new.removed_at IS NOT NULL;
        END;
        """)
    }

    static func dropTriggers(_ db: Database) throws {
        try db.execute(sql: """
        DROP TRIGGER IF EXISTS listings_fts_insert;
        DROP TRIGGER IF EXISTS listings_fts_delete;
        DROP TRIGGER IF EXISTS listings_fts_update;
        """)
    }

    /// FTS5 writes a segment each time the terms it holds pending pass `hashsize` (1 MB by
    /// default), then merges the segments again and again. Rebuilding a million listings took
    /// 12.2 s with 1 MB, 9.2 s with 8 MB (13 MB more held), 8.6 s with 16 MB (27 MB more), 7.3 s
    /// with 64 MB (114 MB more): 8 MB buys most of it for memory a first sync can spare. Only
    /// the rebuild gets it, and gives it back in the same transaction: a small write's pending
    /// terms never come near 1 MB.
    static let rebuildHashBytes = 8 << 20
    static let defaultHashBytes = 1 << 20
    /// The two indexes: current listings, and removed ones (`--include-removed`).
    static let tables = ["listings_fts", "removed_fts"]

    static func rebuild(_ db: Database) throws {
        for table in tables {
            try db.execute(sql: """
            INSERT INTO \(table)(\(table), rank) VALUES ('hashsize', \(rebuildHashBytes));
            INSERT INTO \(table)(\(table)) VALUES ('rebuild');
            INSERT INTO \(table)(\(table), rank) VALUES ('hashsize', \(defaultHashBytes));
            """)
        }
    }

    /// Runs `body` with per-row maintenance off when `bulk` is true, then rebuilds.
    /// Must be called inside a write transaction.
    ///
    /// In bulk, the secondary indexes of `listings` are dropped too and built again afterwards:
    /// `CREATE INDEX` sorts once, where 100,000 inserts into 18 b-trees cost seconds. Their
    /// definitions are read back from `sqlite_schema`, so the schema stays the one source.
    static func maintain<T>(_ db: Database, bulk: Bool, _ body: () throws -> T) throws -> T {
        var clock = PhaseClock()
        return try maintain(db, bulk: bulk, clock: &clock, body)
    }

    static func maintain<T>(_ db: Database, bulk: Bool, clock: inout PhaseClock, _ body: () throws -> T) throws -> T {
        guard bulk else {
            let result = try body()
            clock.lap("rows")
            return result
        }
        let indexes = try listingIndexes(db)
        // Index builds and the FTS rebuild each read the whole table: keep it in cache meanwhile.
        try db.execute(sql: "PRAGMA cache_size = -\(MirrorDatabase.bulkCacheKiB)")
        defer { try? db.execute(sql: "PRAGMA cache_size = -\(MirrorDatabase.cacheKiB)") }
        try dropTriggers(db)
        for index in indexes { try db.execute(sql: "DROP INDEX \(index.name)") }
        let result = try body()
        clock.lap("rows")
        for index in indexes { try db.execute(sql: index.sql) }
        clock.lap("indexes")
        try rebuild(db)
        try createTriggers(db)
        clock.lap("full-text")
        return result
    }

    /// The secondary indexes of `listings` as the schema defines them (a bulk write drops and
    /// builds them again).
    static func listingIndexes(_ db: Database) throws -> [(name: String, sql: String)] {
        try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'listings' AND sql IS NOT NULL
            """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
    }

    /// FTS5's own consistency check of both indexes against `listings` (throws if corrupt).
    /// The views and the two FTS5 tables over them, for `columns` (a migration's).
    static func createTables(_ db: Database, columns: [String] = columns) throws {
        let list = columns.joined(separator: ", ")
        try createViews(db, columns: columns)
        try db.execute(sql: """
        CREATE VIRTUAL TABLE listings_fts USING fts5(\(list), content='current_listings', content_rowid='listing_id',
            tokenize="unicode61 remove_diacritics 2", prefix='1');
        CREATE VIRTUAL TABLE removed_fts USING fts5(\(list), content='removed_listings', content_rowid='listing_id',
            tokenize="unicode61 remove_diacritics 2");
        """)
    }

    /// The content views, in id order. A rebuild appends rows in the order the view yields them,
    /// and FTS5 flushes a segment whenever an id is not above the last one: scanning in an
    /// index's order (which SQLite prefers for `WHERE removed_at IS NULL`) made a 100,000-row
    /// rebuild take 5.8 s instead of 1.5 s.
    static func createViews(_ db: Database, columns: [String]) throws {
        let list = columns.joined(separator: ", ")
        try db.execute(sql: """
        CREATE VIEW current_listings AS SELECT listing_id, \(list) FROM listings WHERE removed_at IS NULL ORDER BY listing_id;
        CREATE VIEW removed_listings AS SELECT listing_id, \(list) FROM listings WHERE removed_at IS NOT NULL ORDER BY listing_id;
        """)
    }

    static func dropTables(_ db: Database) throws {
        try dropTriggers(db)
        try db.execute(sql: """
        DROP TABLE IF EXISTS listings_fts;
        DROP TABLE IF EXISTS removed_fts;
        DROP VIEW IF EXISTS current_listings;
        DROP VIEW IF EXISTS removed_listings;
        """)
    }

    static func check(_ db: Database) throws {
        try db.execute(sql: """
        INSERT INTO listings_fts(listings_fts, rank) VALUES ('integrity-check', 1);
        INSERT INTO removed_fts(removed_fts, rank) VALUES ('integrity-check', 1);
        """)
    }
}
