import Foundation
import GRDB
import WaxConfig

/// The SQLite file that mirrors the shop's inventory, opened in WAL mode so that several wax
/// processes (staff on one server) read while one writes.
public final class MirrorDatabase: Sendable {
    public let path: URL
    /// Reads and writes; nil when the file could only be opened for reading.
    private let pool: DatabasePool?
    private let reader: any DatabaseReader
    /// Why the mirror is read-only here (a read-only filesystem, a full disk), if it is.
    public let readOnlyReason: String?
    /// Opened by a command that fills the mirror and does nothing else meanwhile: an empty
    /// mirror is then filled without the WAL (`EmptyMirrorFill`).
    private let fillsAlone: Bool

    /// Page cache of the writing connection (KiB): an incremental sync's updates touch pages
    /// all over the FTS and secondary indexes.
    static let cacheKiB = 8_000
    /// Page cache of each reading connection (KiB). Reads are windows, counts come from the
    /// in-memory index, the index's scans read each page once, and the kernel's page cache
    /// holds the file anyway; a browser keeps every reader's cache resident, so they stay a
    /// quarter of SQLite's default (measured: 1.5 MB less per browser, no key slower).
    static let readerCacheKiB = 512
    /// Page cache while a bulk write rebuilds indexes, which each read the whole table.
    static let bulkCacheKiB = 160_000

    /// How long a writer waits for another process's write to finish before giving up.
    static let busyTimeout: TimeInterval = 15

    private init(path: URL, pool: DatabasePool, fillsAlone: Bool) {
        self.path = path
        self.pool = pool
        self.reader = pool
        self.readOnlyReason = nil
        self.fillsAlone = fillsAlone
    }

    private init(path: URL, reader: any DatabaseReader, readOnlyReason: String) {
        self.path = path
        self.pool = nil
        self.reader = reader
        self.readOnlyReason = readOnlyReason
        self.fillsAlone = false
    }

    /// Opens (creating folders and file as needed) and migrates the mirror at `path`. When the
    /// file can't be written (a read-only filesystem, a full disk) but can be read, it is opened
    /// read-only: searches and stats keep working, and writes say why they can't.
    /// `fillsAlone`: this process fills the mirror and does nothing else meanwhile (`wax import`,
    /// a one-shot `wax sync`), so an empty mirror may be filled without the WAL.
    public static func open(at path: URL, fillsAlone: Bool = false) throws -> MirrorDatabase {
        do {
            return try openForWriting(at: path, fillsAlone: fillsAlone)
        } catch let error as StoreError {
            guard error.allowsReading, FileManager.default.fileExists(atPath: path.path),
                  let database = openForReading(at: path, because: error) else { throw error }
            return database
        }
    }

    private static func openForWriting(at path: URL, fillsAlone: Bool) throws -> MirrorDatabase {
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path: path.path, reason: "cannot create its folder: \(error.localizedDescription)")
        }
        do {
            // Created here, not by SQLite, so that it gets the mode the shop's setup calls for
            // (0600, or 0660 in a staff group's folder) rather than 0644; SQLite gives its
            // -wal and -shm files the same mode.
            try FilePermissions.createIfMissing(path)
        } catch {
            throw StoreError.cannotOpen(path: path.path, reason: "cannot create it: \(error.localizedDescription)")
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.label = "wax"
        config.prepareDatabase { db in
            // WAL + NORMAL: a crash never corrupts; only the last commit may be lost on power failure.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            let cache = db.configuration.readonly ? MirrorDatabase.readerCacheKiB : MirrorDatabase.cacheKiB
            try db.execute(sql: "PRAGMA cache_size = -\(cache)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path.path, configuration: config)
        } catch {
            throw StoreError(error, path: path.path)
        }
        let database = MirrorDatabase(path: path, pool: pool, fillsAlone: fillsAlone)
        try database.migrate()
        return database
    }

    /// Read-only, as SQLite allows: through the WAL index when it can be used, else (no WAL
    /// content to miss) as an immutable file. Nil when neither reads.
    private static func openForReading(at path: URL, because cause: StoreError) -> MirrorDatabase? {
        var config = Configuration()
        config.readonly = true
        config.label = "wax-readonly"
        let wal = path.deletingLastPathComponent().appendingPathComponent(path.lastPathComponent + "-wal")
        let walSize = (try? FileManager.default.attributesOfItem(atPath: wal.path)[.size] as? NSNumber)?.intValue ?? 0
        var candidates = [path.path]
        if walSize == 0 {
            // Nothing committed beyond the main file: reading it as immutable misses nothing.
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#")
            candidates.append("file:\(path.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path.path)?immutable=1")
        }
        for candidate in candidates {
            guard let queue = try? DatabaseQueue(path: candidate, configuration: config),
                  (try? queue.read({ try Schema.migrator.hasCompletedMigrations($0) })) == true else { continue }
            return MirrorDatabase(path: path, reader: queue, readOnlyReason: cause.cause)
        }
        return nil
    }

    /// Runs pending migrations. Two processes starting on a new file at once must not both
    /// migrate, so migrations run under an exclusive lock on `<db>.lock`.
    private func migrate() throws {
        let migrator = Schema.migrator
        guard let pool else { return }
        try naming {
            if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return }
            try FileLock.withExclusiveLock(at: path.appendingPathExtension("lock")) {
                try migrator.migrate(pool)
            }
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try naming { try reader.read(body) }
    }

    /// One write transaction that says what it changed: each kind of change has its own
    /// counter in `meta`, so that every reader (in this process or another) refreshes what
    /// changed and nothing else (a confirmation from Discogs re-reads the rows on screen, not the
    /// 100,000-listing index).
    func write<T>(changing changes: MirrorChanges, _ body: (Database) throws -> T) throws -> T {
        let pool = try writable()
        return try naming {
            try pool.write { db in
                let result = try body(db)
                try Self.count(changes, db)
                return result
            }
        }
    }

    /// A write that may fill an empty mirror (an import, a sync's apply), told how it reached
    /// the file: without the WAL when this process opened the mirror to fill it alone and it
    /// holds no listing (`EmptyMirrorFill`), else as any write.
    func fill<T>(changing changes: MirrorChanges, _ body: (Database, WriteJournal) throws -> T) throws -> T {
        let pool = try writable()
        guard fillsAlone else { return try write(changing: changes) { try body($0, .wal) } }
        return try naming {
            // This process's own idle readers hold the file open too.
            pool.releaseMemory()
            return try pool.writeWithoutTransaction { db in
                let journal: WriteJournal = try EmptyMirrorFill.enter(db) ? .rollback : .wal
                defer { if journal == .rollback { EmptyMirrorFill.leave(db) } }
                try db.beginTransaction(.immediate)
                do {
                    let result = try body(db, journal)
                    try Self.count(changes, db)
                    try db.commit()
                    return result
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
            }
        }
    }

    private static func count(_ changes: MirrorChanges, _ db: Database) throws {
        for counter in changes.counters {
            try db.execute(sql: "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = ?", arguments: [counter])
        }
    }

    /// A write that changes what the listings are (their fields, which ones are current).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try write(changing: .listings, body)
    }

    /// A write that no reader needs to hear about (sync bookkeeping).
    func writeBookkeeping<T>(_ body: (Database) throws -> T) throws -> T {
        try write(changing: [], body)
    }

    /// A database error as one line naming the mirror's path (a full disk, a locked file); a
    /// staff action refused on its merits passes through as it is, not a database problem.
    private func naming<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let refusal as ActionRefusal {
            throw refusal   // a staff action refused on its merits: not a database problem
        } catch let unreadable as UnreadableAction {
            throw unreadable   // a row this wax can't read: it names the row
        } catch {
            throw StoreError(error, path: path.path)
        }
    }

    static func generation(_ db: Database) throws -> Int64 {
        try counter(db, MirrorChanges.listings)
    }

    static func counter(_ db: Database, _ change: MirrorChanges) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?", arguments: [change.counters.first ?? ""]) ?? 0
    }

    /// Each kind of change's counter, as of now: what a reader compares to know what to read again.
    public func changeCounters() throws -> MirrorChangeCounters {
        try read { db in
            var counters = MirrorChangeCounters()
            for row in try Row.fetchAll(db, sql: "SELECT key, CAST(value AS INTEGER) AS value FROM meta WHERE key IN (\(MirrorChanges.all.counters.map { "'\($0)'" }.joined(separator: ", ")))") {
                counters.values[row["key"]] = row["value"]
            }
            return counters
        }
    }

    /// `PRAGMA integrity_check` and both full-text indexes' own checks. (FTS5 spells its check
    /// as an INSERT, so it runs on the writer connection; it changes nothing.)
    public func integrityCheck() throws -> [String] {
        try writeBookkeeping { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            do {
                try FullTextIndex.check(db)
            } catch {
                problems.append("full-text index: \(error)")
            }
            return problems
        }
    }

    /// A reader frozen at the mirror as it is now, for reads spread over time (a long answer
    /// streamed to a slow client) that must all see one state. Holds a read transaction open
    /// while it lives.
    func snapshot() throws -> any DatabaseReader {
        guard let pool else { return reader }   // read-only: nothing here writes meanwhile
        do {
            return try pool.makeSnapshot()
        } catch {
            throw StoreError(error, path: path.path)
        }
    }

    private func writable() throws -> DatabasePool {
        guard let pool else { throw StoreError.readOnlyMirror(path: path.path, reason: readOnlyReason ?? "opened read-only") }
        return pool
    }

    /// Checkpoints the WAL and closes the file.
    public func close() throws {
        if let pool {
            _ = try? pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try pool.close()
        } else if let queue = reader as? DatabaseQueue {
            try queue.close()
        }
    }
}

/// An advisory `flock` on a file beside the database. The kernel releases it when the process
/// dies, so a crashed holder never leaves it stuck.
public enum FileLock {
    public static func withExclusiveLock<T>(at url: URL, _ body: () throws -> T) throws -> T {
        let fd = FilePermissions.open(url)
        guard fd >= 0 else {
            throw StoreError.cannotOpen(path: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw StoreError.cannotOpen(path: url.path, reason: String(cString: strerror(errno)))
            }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// What a write changed, each kind with its counter in `meta`.
public struct MirrorChanges: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The listings themselves: which are current, and their fields (the index is built from them).
    public static let listings = MirrorChanges(rawValue: 1 << 0)
    /// The outbox: actions queued, sent, confirmed, refused (marks on rows, the waiting count).
    public static let outbox = MirrorChanges(rawValue: 1 << 1)
    /// Orders, their items and messages, pick marks, double sales.
    public static let orders = MirrorChanges(rawValue: 1 << 2)
    /// Holds: who keeps what aside (marks on rows, the held-only filter).
    public static let holds = MirrorChanges(rawValue: 1 << 3)

    public static let all: MirrorChanges = [.listings, .outbox, .orders, .holds]

    /// The `meta` keys of these changes' counters.
    var counters: [String] {
        var keys: [String] = []
        if contains(.listings) { keys.append("generation") }
        if contains(.outbox) { keys.append("outbox_generation") }
        if contains(.orders) { keys.append("orders_generation") }
        if contains(.holds) { keys.append("holds_generation") }
        return keys
    }
}

/// The change counters as a reader last saw them.
public struct MirrorChangeCounters: Sendable, Equatable {
    var values: [String: Int64] = [:]

    public init() {}

    /// What changed between `earlier` and these.
    public func changes(since earlier: MirrorChangeCounters) -> MirrorChanges {
        var changed: MirrorChanges = []
        for change in [MirrorChanges.listings, .outbox, .orders, .holds] {
            let key = change.counters[0]
            if values[key] != earlier.values[key] { changed.insert(change) }
        }
        return changed
    }
}
