import Foundation
import GRDB
import Synchronization
import Testing
@testable import WaxStore
import WaxTestSupport

/// An empty mirror filled by a command that has it to itself is written through the rollback
/// journal, and is in WAL again when the fill ends, whatever happened; anything else writes
/// through the WAL as always.
@Suite struct EmptyMirrorFillTests {
    static func listings(_ ids: ClosedRange<Int>) -> [ListingRecord] {
        ids.map { id in
            var listing = ListingRecord(listingID: Int64(id))
            listing.artist = "Artist \(id % 97)"
            listing.title = "Title \(id)"
            listing.location = "Bin \(id % 13)"
            return listing
        }
    }

    /// SQLite's own mark in the file's header (bytes 18 and 19): 2 for WAL, 1 for a rollback
    /// journal. Read from the file, so that no connection's setting hides it.
    static func journalOnDisk(_ path: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: path)
        defer { try? handle.close() }
        let header = try handle.read(upToCount: 20) ?? Data()
        guard header.count == 20 else { return "short file" }
        switch (header[18], header[19]) {
        case (2, 2): return "wal"
        case (1, 1): return "rollback"
        case let (read, write): return "unknown (\(read), \(write))"
        }
    }

    static func sideFiles(_ path: URL) -> [String] {
        ["-journal"].filter { FileManager.default.fileExists(atPath: path.path + $0) }
    }

    @Test func anEmptyMirrorFilledAloneSkipsTheWALAndIsInWALAgainAfter() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("mirror.db")
        let inventory = try InventoryService.open(at: path, fillsAlone: true)
        // A read first: this process's own idle reader must not keep the fill in the WAL.
        #expect(try inventory.count(ListingQuery()) == 0)
        let outcome = try inventory.importer.importListings(Self.listings(1...2_500))
        #expect(outcome.journal == .rollback)
        #expect(outcome.imported == 2_500)
        #expect(try Self.journalOnDisk(path) == "wal")
        #expect(Self.sideFiles(path).isEmpty)
        #expect(try inventory.database.integrityCheck().isEmpty)
        var query = ListingQuery(text: "title 2499")
        query.limit = 5
        #expect(try inventory.search(query).map(\.id) == [2_499])

        // No longer empty: the next import goes through the WAL, beside any reader.
        let again = try inventory.importer.importListings(Self.listings(2_501...2_600))
        #expect(again.journal == .wal)
        #expect(try inventory.count(ListingQuery()) == 2_600)

        // Another process opening it now finds an ordinary mirror.
        let other = try InventoryService.open(at: path)
        #expect(try other.count(ListingQuery()) == 2_600)
    }

    @Test func aMirrorSomeoneElseHasOpenIsFilledThroughTheWAL() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("mirror.db")
        let browser = try InventoryService.open(at: path)
        #expect(try browser.count(ListingQuery()) == 0)
        let importer = try InventoryService.open(at: path, fillsAlone: true)
        let outcome = try importer.importer.importListings(Self.listings(1...2_500))
        #expect(outcome.journal == .wal)
        #expect(try browser.count(ListingQuery()) == 2_500)
        #expect(try Self.journalOnDisk(path) == "wal")
    }

    @Test func aMirrorNotOpenedToFillAloneIsFilledThroughTheWAL() throws {
        let folder = TemporaryDirectory()
        let inventory = try InventoryService.open(at: folder.file("mirror.db"))
        let outcome = try inventory.importer.importListings(Self.listings(1...2_500))
        #expect(outcome.journal == .wal)
    }

    @Test func aFirstSyncFillsAloneAndTheNextGoesThroughTheWAL() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("mirror.db")
        let inventory = try InventoryService.open(at: path, fillsAlone: true)
        let first = try inventory.syncStore.applySnapshot(SnapshotApply(listings: Self.listings(1...3_000), trigger: .test))
        #expect(first.journal == .rollback && first.added == 3_000)
        let next = try inventory.syncStore.applySnapshot(SnapshotApply(listings: Self.listings(1...3_001), trigger: .test))
        #expect(next.journal == .wal && next.added == 1)
        #expect(try Self.journalOnDisk(path) == "wal")
        #expect(try inventory.database.integrityCheck().isEmpty)
    }

    /// A wax that opens the mirror while another fills it is told so, not just that it is locked.
    @Test func aWaxOpeningDuringAFillIsToldTheMirrorIsBeingFilled() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("mirror.db")
        let inventory = try InventoryService.open(at: path, fillsAlone: true)
        let opened = Mutex<(any Error)?>(nil)
        let journal = try inventory.database.fill(changing: .listings) { db, used in
            let writer = try ListingWriter(db, scale: .bulk)
            for listing in Self.listings(1...500) { try writer.upsert(listing, seq: listing.listingID) }
            do {
                _ = try MirrorDatabase.open(at: path)
            } catch {
                opened.withLock { $0 = error }
            }
            return used
        }
        #expect(journal == .rollback)
        let error = try #require(opened.withLock { $0 } as? StoreError)
        #expect(error == .beingFilled(path: path.path))
        #expect(error.description.contains("being filled by another wax"))
        #expect(try inventory.count(ListingQuery()) == 500)
    }

    struct Interrupted: Error {}

    @Test func aFillThatFailsLeavesTheMirrorEmptyAndInWAL() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("mirror.db")
        let inventory = try InventoryService.open(at: path, fillsAlone: true)
        let journal = Mutex<WriteJournal?>(nil)
        #expect(throws: StoreError.self) {   // named as any error inside a write is
            try inventory.database.fill(changing: .listings) { db, used in
                journal.withLock { $0 = used }
                let writer = try ListingWriter(db, scale: .bulk)
                for listing in Self.listings(1...500) { try writer.upsert(listing, seq: listing.listingID) }
                throw Interrupted()
            }
        }
        #expect(journal.withLock { $0 } == .rollback)
        #expect(try Self.journalOnDisk(path) == "wal")
        #expect(Self.sideFiles(path).isEmpty)
        #expect(try inventory.count(ListingQuery()) == 0)
        #expect(try inventory.generation() == 0)
        // And it can be filled again.
        #expect(try inventory.importer.importListings(Self.listings(1...10)).journal == .rollback)
    }
}
