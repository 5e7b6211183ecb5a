import GRDB

/// What the mirror's schema looks like, for `wax info`, diagnostics and tests.
extension MirrorDatabase {
    public func schemaObjects(type: String) throws -> Set<String> {
        try read { Set(try String.fetchAll($0, sql: "SELECT name FROM sqlite_schema WHERE type = ?", arguments: [type])) }
    }

    public func columns(of table: String) throws -> [String] {
        try read { try $0.columns(in: table).map(\.name) }
    }

    public func journalMode() throws -> String {
        try read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    public func appliedMigrations() throws -> [String] {
        try read { try Schema.migrator.appliedMigrations($0) }
    }

    public func registeredMigrations() -> [String] {
        Schema.migrator.migrations
    }

    /// Ids in the order the full-text index's content view yields them: a rebuild appends them in
    /// this order, and anything but ascending ids makes it four times slower.
    public func fullTextContentOrder() throws -> [Int64] {
        try read { try Int64.fetchAll($0, sql: "SELECT listing_id FROM current_listings") }
    }

    /// Each full-text index's pending-terms buffer (FTS5's `hashsize`) as its configuration
    /// holds it, nil where it was never set (FTS5's default).
    public func fullTextHashSizes() throws -> [String: Int?] {
        try read { db in
            var sizes: [String: Int?] = [:]
            for table in FullTextIndex.tables {
                sizes[table] = try Int.fetchOne(db, sql: "SELECT v FROM \(table)_config WHERE k = 'hashsize'")
            }
            return sizes
        }
    }

    /// Bytes used by the file (pages × page size), WAL excluded.
    public func sizeInBytes() throws -> Int {
        try read { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return pages * size
        }
    }
}

extension InventoryService {
    /// `EXPLAIN QUERY PLAN` of the SQL that answers `query` when it includes removed listings
    /// (current listings are answered from memory).
    public func explain(_ query: ListingQuery) throws -> [String] {
        try database.read { db in
            let (sql, arguments) = QueryPlan(query, catalog: try index(db).catalog(db)).idsSQL
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
        }
    }
}
