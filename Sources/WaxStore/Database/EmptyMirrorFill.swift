import Foundation
import GRDB

/// How a write reached the file.
public enum WriteJournal: String, Sendable, Equatable {
    /// Through the WAL, as every write goes while others may read.
    case wal
    /// Through SQLite's rollback journal: an empty mirror filled by a command that had the file
    /// to itself (`EmptyMirrorFill`).
    case rollback
}

/// Filling an empty mirror without the WAL.
///
/// Through the WAL every page of a bulk write is written twice: into the WAL, then by the
/// checkpoint into the file. An empty file has nothing to roll back to, so a rollback journal
/// writes each page once and journals next to nothing. Measured with sqlite3 on a copy of a
/// million listings (the rows and three of the indexes, one transaction): 13.3 s through the
/// WAL (its commit and checkpoint 3.6 s), 7.7 s without (0.6 s).
///
/// Leaving WAL needs the file to itself: SQLite refuses at once (SQLITE_BUSY, no waiting)
/// while any other connection of this process or another has it open, and the write then goes
/// through the WAL as always. While the fill runs, a rollback journal's writer locks readers
/// out, so a wax that opens the mirror meanwhile waits for it (the busy timeout): only
/// commands that do nothing else meanwhile ask for it (`wax import`, a one-shot `wax sync`),
/// and only an empty mirror is filled this way, where there is nothing to read yet anyway.
enum EmptyMirrorFill {
    /// Leaves WAL for the rollback journal when the mirror holds no listing and no other
    /// connection has the file open; true when it did. Outside any transaction.
    static func enter(_ db: Database) throws -> Bool {
        guard try StoredListings.none(db) else { return false }
        guard (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete" else { return false }
        // FULL syncs the journal before the file is written: the journal of an empty file is a
        // page or two, and a power cut mid-fill then rolls back to the empty mirror.
        try db.execute(sql: "PRAGMA synchronous = FULL")
        return true
    }

    /// Back to WAL, as the mirror always is between fills. Another process that opened the
    /// file in the meantime (reading it holds the lock for a moment) delays the switch: it is
    /// retried for a few seconds, and should it still fail, the next wax that opens the mirror
    /// switches it back (every open asks for WAL), so it is never left in rollback mode.
    static func leave(_ db: Database, attempts: Int = 50, pause: UInt32 = 100_000) {
        for attempt in 0..<attempts {
            if (try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")) == "wal" { break }
            if attempt < attempts - 1 { usleep(pause) }
        }
        try? db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
}
