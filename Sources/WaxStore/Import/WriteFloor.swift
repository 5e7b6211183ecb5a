import Foundation
import GRDB
import GRDBSQLite

/// What SQLite alone costs for the rows an import or a first sync writes, measured on this
/// machine: the floors `wax-bench store` and `wax-bench sync` set them against (issue 21). Not
/// used by wax itself.
public enum WriteFloor {
    public struct Figures: Sendable {
        /// The rows' fields as they are (a CSV's as text), one prepared statement reused for
        /// every row, in one transaction, into a table with no index: no parse, no derived
        /// column, no check.
        public var bareInsertSeconds: Double
        /// An FTS5 index of the searchable columns over those rows, built in one pass.
        public var bareFullTextSeconds: Double
        /// What the bare table and its index hold (every row, or the floor is not one).
        public var rows = 0
        public var indexedRows = 0
    }

    /// What SQLite alone takes to build a finished mirror's secondary indexes and full-text
    /// indexes again: the floor of a bulk write's "indexes" and "full-text" phases, which run
    /// these same statements inside the write's transaction.
    public struct RebuildFigures: Sendable {
        public var indexSeconds: Double
        public var fullTextSeconds: Double
    }

    /// Builds the mirror at `mirror`'s indexes and full text again, timed, in a transaction
    /// that is rolled back: the mirror is left as it was.
    public static func rebuild(of mirror: URL) throws -> RebuildFigures {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -\(MirrorDatabase.bulkCacheKiB)")
        }
        let queue = try DatabaseQueue(path: mirror.path, configuration: configuration)
        defer { try? queue.close() }
        var figures = RebuildFigures(indexSeconds: 0, fullTextSeconds: 0)
        try queue.writeWithoutTransaction { db in
            try db.inTransaction {
                let indexes = try FullTextIndex.listingIndexes(db)
                for index in indexes { try db.execute(sql: "DROP INDEX \(index.name)") }
                let started = DispatchTime.now().uptimeNanoseconds
                for index in indexes { try db.execute(sql: index.sql) }
                let indexed = DispatchTime.now().uptimeNanoseconds
                try FullTextIndex.rebuild(db)
                let done = DispatchTime.now().uptimeNanoseconds
                figures = RebuildFigures(indexSeconds: Double(indexed - started) / 1e9, fullTextSeconds: Double(done - indexed) / 1e9)
                return .rollback
            }
        }
        return figures
    }

    /// Measures both floors for a CSV in a fresh database at `url` (removed afterwards), with
    /// the mirror's own settings (page and cache size) and the journal the write it is set
    /// against went through.
    public static func measure(csv: Data, at url: URL, journal: WriteJournal) throws -> Figures {
        let parsed = try CSVReader.parse(csv)
        let rows = parsed.records.compactMap { try? $0.get().fields }
        guard let header = rows.first else { return Figures(bareInsertSeconds: 0, bareFullTextSeconds: 0) }
        // The old app's names for the columns wax's full text indexes.
        let searchable = ["artist_names", "release_title", "label_names", "catalog_number", "genres", "styles", "location", "comments"]
        return try measure(header: header, rows: rows.dropFirst().map { $0.map { $0.databaseValue } },
                           searchable: searchable, at: url, journal: journal)
    }

    /// Measures both floors for what the mirror at `mirror` holds (its listings with what
    /// Discogs sent for each): the rows a first sync writes, against what writing them costs
    /// SQLite alone. The rows are read into memory first: only their writing is timed.
    public static func measure(copyOf mirror: URL, at url: URL, journal: WriteJournal) throws -> Figures {
        var configuration = Configuration()
        configuration.readonly = true
        let source = try DatabaseQueue(path: mirror.path, configuration: configuration)
        let (header, rows) = try source.read { db in
            let statement = try db.makeStatement(sql: """
                SELECT l.*, lr.json AS raw_json FROM listings l LEFT JOIN listing_raw lr ON lr.listing_id = l.listing_id
                """)
            return (statement.columnNames, try Row.fetchAll(statement).map { Array($0.databaseValues) })
        }
        try source.close()
        return try measure(header: header, rows: rows, searchable: FullTextIndex.columns, at: url, journal: journal)
    }

    private static func measure(header: [String], rows: [[DatabaseValue]], searchable: [String], at url: URL,
                                journal: WriteJournal) throws -> Figures {
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: url.path + suffix) } }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            switch journal {
            case .wal: try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            case .rollback: try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL")
            }
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try db.execute(sql: "PRAGMA cache_size = -\(MirrorDatabase.bulkCacheKiB)")
        }
        let queue = try DatabaseQueue(path: url.path, configuration: configuration)
        let columns = header.indices.map { "c\($0)" }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE bare(\(columns.joined(separator: ", ")))")
        }
        let started = DispatchTime.now().uptimeNanoseconds
        try queue.write { db in
            let statement = try db.makeStatement(sql: "INSERT INTO bare VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))")
            for row in rows {
                var binder = SQLiteBinder(statement)
                for index in columns.indices { binder.bind(index < row.count ? row[index] : .null) }
                try binder.run(db)
            }
        }
        let inserted = DispatchTime.now().uptimeNanoseconds
        let indexed = searchable.compactMap { header.firstIndex(of: $0) }.map { "c\($0)" }
        try queue.write { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE bare_fts USING fts5(\(indexed.joined(separator: ", ")), content='bare',
                    tokenize="unicode61 remove_diacritics 2", prefix='1');
                INSERT INTO bare_fts(bare_fts) VALUES ('rebuild');
                """)
        }
        let done = DispatchTime.now().uptimeNanoseconds
        var figures = Figures(bareInsertSeconds: Double(inserted - started) / 1e9, bareFullTextSeconds: Double(done - inserted) / 1e9)
        try queue.read { db in
            figures.rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM bare") ?? 0
            figures.indexedRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM bare_fts") ?? 0
        }
        return figures
    }
}
