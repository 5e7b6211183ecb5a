import Foundation
import GRDB
import GRDBSQLite

/// What SQLite alone costs for the rows an import writes, measured on this machine: the floor
/// `wax-bench store` sets an import against (issue 21). Not used by wax itself.
public enum WriteFloor {
    public struct Figures: Sendable {
        /// The CSV's fields as text, one prepared statement reused for every row, in one
        /// transaction, into a table with no index: no parse, no derived column, no check.
        public var bareInsertSeconds: Double
        /// An FTS5 index of the searchable columns over those rows, built in one pass.
        public var bareFullTextSeconds: Double
        /// What the bare table and its index hold (every data row of the CSV, or the floor is not one).
        public var rows = 0
        public var indexedRows = 0
    }

    /// Measures both floors in a fresh database at `url` (removed afterwards), with the
    /// mirror's own settings (WAL, page and cache size).
    public static func measure(csv: Data, at url: URL) throws -> Figures {
        let parsed = try CSVReader.parse(csv)
        let rows = parsed.records.compactMap { try? $0.get().fields }
        guard let header = rows.first else { return Figures(bareInsertSeconds: 0, bareFullTextSeconds: 0) }
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) } }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY")
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
            for row in rows.dropFirst() {
                var binder = SQLiteBinder(statement)
                for index in columns.indices { binder.bind(index < row.count ? row[index] : nil) }
                try binder.run(db)
            }
        }
        let inserted = DispatchTime.now().uptimeNanoseconds
        // The old app's names for the columns wax's full text indexes.
        let searchable = ["artist_names", "release_title", "label_names", "catalog_number", "genres", "styles", "location", "comments"]
            .compactMap { header.firstIndex(of: $0) }.map { "c\($0)" }
        try queue.write { db in
            try db.execute(sql: """
                CREATE VIRTUAL TABLE bare_fts USING fts5(\(searchable.joined(separator: ", ")), content='bare',
                    tokenize="unicode61 remove_diacritics 2", prefix='1');
                INSERT INTO bare_fts(bare_fts) VALUES ('rebuild');
                """)
        }
        let indexed = DispatchTime.now().uptimeNanoseconds
        var figures = Figures(bareInsertSeconds: Double(inserted - started) / 1e9, bareFullTextSeconds: Double(indexed - inserted) / 1e9)
        try queue.read { db in
            figures.rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM bare") ?? 0
            figures.indexedRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM bare_fts") ?? 0
        }
        return figures
    }
}
