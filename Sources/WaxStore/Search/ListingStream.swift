import Foundation
import GRDB
import Synchronization

/// Every listing a query selects, read a piece at a time from one frozen state of the mirror:
/// how `wax serve` answers "all 100,000 listings" without holding them in memory. Only the
/// ids are kept (8 bytes a listing); rows are read as the client takes them.
public final class ListingStream: Sendable {
    /// How many listings the whole stream holds.
    public let total: Int
    private let ids: [Int64]
    private let withReleases: Bool
    private let reader: any DatabaseReader
    private let path: String
    private let cursor = Mutex(0)

    init(ids: [Int64], withReleases: Bool, reader: any DatabaseReader, path: String) {
        self.ids = ids
        self.total = ids.count
        self.withReleases = withReleases
        self.reader = reader
        self.path = path
    }

    /// The next `count` listings, in order; empty once all were read. Not for concurrent use.
    public func next(_ count: Int) throws -> [Listing] {
        let range: Range<Int> = cursor.withLock { position in
            let start = position
            position = min(ids.count, position + max(1, count))
            return start..<position
        }
        guard !range.isEmpty else { return [] }
        let slice = Array(ids[range])
        do {
            return try reader.read { db in try InventoryService.fetchListings(db, ids: slice, withReleases: withReleases) }
        } catch {
            throw StoreError(error, path: path)
        }
    }
}

extension InventoryService {
    /// Every listing `query` selects (its order; its window, if any), as a stream over one
    /// frozen state of the mirror: the rows read at the end are as they were at the start.
    public func stream(_ query: ListingQuery, withReleases: Bool = false) throws -> ListingStream {
        let snapshot = try database.snapshot()
        let ids: [Int64]
        do {
            ids = try snapshot.read { db in try self.windowIDs(query, db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(error, path: database.path.path)
        }
        return ListingStream(ids: ids, withReleases: withReleases, reader: snapshot, path: database.path.path)
    }
}
