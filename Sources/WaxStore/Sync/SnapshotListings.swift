import Foundation
import Synchronization

/// The listings a snapshot writes, in the order read. The few of an hourly sync are held in
/// memory; past `memoryLimit` every one goes to a spool file beside the mirror and is read back
/// one at a time as the apply writes it. A first sync then holds each listing's id and where it
/// lies in the file (24 bytes a listing) instead of the records and their JSON (578 MB for
/// 100,000 listings, 3.9 GB for a million).
///
/// A value: a copy has its own list of where its records lie, and appends from either copy go
/// to the end of the file they share, so neither sees the other's.
public struct SnapshotListings: Sendable {
    /// The listings' ids, in the order read.
    public private(set) var ids: [Int64] = []
    private var held: [ListingRecord] = []
    private var spool: Spool?
    private let memoryLimit: Int
    private let directory: URL?

    private struct Spool: Sendable {
        let file: SpoolFile
        /// Where each listing's record lies in the file, in `ids` order.
        var entries: [SpoolFile.Entry] = []
    }

    /// Records held in memory, as given.
    public init(_ records: [ListingRecord] = []) {
        memoryLimit = .max
        directory = nil
        held = records
        ids = records.map(\.listingID)
    }

    /// Records held in memory until there are more than `memoryLimit`, then spooled to a file
    /// in `directory` (the mirror's: the disk that holds the mirror has room for what it will
    /// write into it, where `/tmp` may be memory).
    public init(spoolingPast memoryLimit: Int, in directory: URL) {
        self.memoryLimit = max(0, memoryLimit)
        self.directory = directory
    }

    public var count: Int { ids.count }
    public var isEmpty: Bool { ids.isEmpty }
    /// Whether the records are in a spool file rather than in memory.
    public var isSpooled: Bool { spool != nil }

    public mutating func append(_ record: ListingRecord) throws {
        if spool == nil && held.count >= memoryLimit, let directory {
            var spilled = Spool(file: try SpoolFile(in: directory))
            for record in held { spilled.entries.append(try spilled.file.append(record)) }
            held = []
            spool = spilled
        }
        if spool != nil {
            spool!.entries.append(try spool!.file.append(record))
        } else {
            held.append(record)
        }
        ids.append(record.listingID)
    }

    /// Puts `record` in the place of the listing at `index` (the same listing, read again).
    public mutating func replace(at index: Int, with record: ListingRecord) throws {
        precondition(ids[index] == record.listingID, "a listing is replaced by itself")
        if spool != nil {
            spool!.entries[index] = try spool!.file.append(record)
        } else {
            held[index] = record
        }
    }

    public func record(at index: Int) throws -> ListingRecord {
        guard let spool else { return held[index] }
        return try spool.file.read(spool.entries[index])
    }

    /// Drops the listings whose id `shouldRemove` picks, keeping the others' order.
    public mutating func removeAll(where shouldRemove: (Int64) -> Bool) {
        let keep = ids.indices.filter { !shouldRemove(ids[$0]) }
        guard keep.count < ids.count else { return }
        ids = keep.map { ids[$0] }
        if spool != nil {
            spool!.entries = keep.map { spool!.entries[$0] }
        } else {
            held = keep.map { held[$0] }
        }
    }

    /// Every record, in order (tests and small snapshots).
    public func records() throws -> [ListingRecord] {
        try ids.indices.map(record(at:))
    }
}

/// A file that records are appended to and read back from, removed from its folder as soon as
/// it is made: nothing is left behind when wax stops or is killed, and no one else opens it.
/// Closed when the last snapshot referring to it lets it go.
final class SpoolFile: Sendable {
    struct Entry: Sendable {
        var offset: Int64
        var length: Int
    }

    private let descriptor: Int32
    private let folder: String
    /// Where the next record goes: taken under the lock, written outside it.
    private let end = Mutex<Int64>(0)

    init(in directory: URL) throws {
        folder = directory.path
        var template = Array(directory.appendingPathComponent(".wax-snapshot-XXXXXX").path.utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw Self.failure("make a spool file in", folder, errno) }
        unlink(String(cString: template))
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func append(_ record: ListingRecord) throws -> Entry {
        var bytes: [UInt8] = []
        RecordBytes.encode(record, into: &bytes)
        let offset = end.withLock { end in
            defer { end += Int64(bytes.count) }
            return end
        }
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw Self.failure("write the snapshot's spool file in", folder, written < 0 ? errno : ENOSPC) }
                done += written
            }
        }
        return Entry(offset: offset, length: bytes.count)
    }

    func read(_ entry: Entry) throws -> ListingRecord {
        let record = try [UInt8](unsafeUninitializedCapacity: entry.length) { buffer, count in
            while count < entry.length {
                let read = pread(descriptor, buffer.baseAddress! + count, entry.length - count, off_t(entry.offset) + off_t(count))
                if read < 0 && errno == EINTR { continue }
                guard read > 0 else { throw Self.failure("read the snapshot's spool file in", folder, read < 0 ? errno : EIO) }
                count += read
            }
        }.withUnsafeBytes(RecordBytes.decode)
        guard let record else { throw StoreError.other(path: folder, detail: "the snapshot's spool file holds a damaged record") }
        return record
    }

    private static func failure(_ doing: String, _ folder: String, _ code: Int32) -> StoreError {
        code == ENOSPC ? .diskFull(path: folder)
            : .other(path: folder, detail: "could not \(doing) it: \(String(cString: strerror(code)))")
    }
}
