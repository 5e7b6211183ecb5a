import Foundation
import GRDB
import Synchronization

/// Everything wax asks of the mirror: windowed searches, counts, facets, stats, change history,
/// imports. The UI, the CLI, the sync engine and `wax serve` all go through here; no other code
/// runs SQL. Safe to share between threads.
public final class InventoryService: Sendable {
    public let database: MirrorDatabase
    private let catalogCache = Mutex<FacetCatalog?>(nil)
    private let fullTextCounts = Mutex<[String: Int]>([:])
    private let fullTextGeneration = Mutex<Int64>(-1)

    public init(database: MirrorDatabase) {
        self.database = database
    }

    public static func open(at path: URL) throws -> InventoryService {
        InventoryService(database: try MirrorDatabase.open(at: path))
    }

    // MARK: Reading

    /// Goes up with every committed change to the listings, from any process.
    public func generation() throws -> Int64 {
        try database.read { try MirrorDatabase.generation($0) }
    }

    public func listing(id: Int64) throws -> Listing? {
        try database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT \(Listing.selection(withRelease: true)) FROM \(Listing.from(withRelease: true))
                WHERE l.listing_id = ?
                """, arguments: [id]).map { Listing(row: $0, withRelease: true) }
        }
    }

    /// Every current listing in `sort` order (exports; the UI reads windows instead).
    public func allListings(sort: ListingSort = .default, withReleases: Bool = true) throws -> [Listing] {
        try search(ListingQuery(sort: sort), withReleases: withReleases)
    }

    /// One window (`limit`/`offset`) of the listings matching `query`, in its order.
    public func search(_ query: ListingQuery, withReleases: Bool = false) throws -> [Listing] {
        try database.read { db in
            let plan = try self.plan(query, db)
            guard !plan.isEmpty else { return [] }
            let (sql, arguments) = plan.idsSQL
            let ids = try Int64.fetchAll(db, sql: sql, arguments: arguments)
            return try Self.fetchListings(db, ids: ids, withReleases: withReleases)
        }
    }

    /// Just the ids of a window, in order (cheap: what a list needs to keep its selection).
    public func searchIDs(_ query: ListingQuery) throws -> [Int64] {
        try database.read { db in
            let plan = try self.plan(query, db)
            guard !plan.isEmpty else { return [] }
            let (sql, arguments) = plan.idsSQL
            return try Int64.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    public func count(_ query: ListingQuery) throws -> Int {
        try database.read { db in
            let plan = try self.plan(query.selection, db)
            if plan.isEmpty { return 0 }
            if let known = plan.knownCount { return known }
            let (sql, arguments) = plan.countSQL
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
    }

    /// A window and the total count, read in one transaction so they agree.
    public func page(_ query: ListingQuery) throws -> (listings: [Listing], total: Int) {
        try database.read { db in
            let plan = try self.plan(query, db)
            guard !plan.isEmpty else { return ([], 0) }
            let (sql, arguments) = plan.idsSQL
            let ids = try Int64.fetchAll(db, sql: sql, arguments: arguments)
            let listings = try Self.fetchListings(db, ids: ids, withReleases: false)
            if let known = plan.knownCount { return (listings, known) }
            let (countSQL, countArguments) = plan.countSQL
            return (listings, try Int.fetchOne(db, sql: countSQL, arguments: countArguments) ?? 0)
        }
    }

    /// Value → count for every facet kind over the listings matching `query` (its order and
    /// window are ignored). `limit` keeps the most frequent values of each kind.
    public func facets(_ query: ListingQuery, limit: Int? = nil) throws -> Facets {
        try database.read { db in
            let catalog = try self.catalog(db)
            let plan = try self.plan(query.selection, db, catalog: catalog)
            if plan.isEmpty { return catalog.facets(from: FacetTally(), limit: limit) }
            if plan.conditions.isEmpty, !query.includeRemoved {
                return catalog.facets(from: catalog.unfilteredTally, limit: limit)
            }
            let (sql, arguments) = plan.facetSQL
            return catalog.facets(from: try FacetTally.count(db, sql: sql, arguments: arguments), limit: limit)
        }
    }

    static func fetchListings(_ db: Database, ids: [Int64], withReleases: Bool) throws -> [Listing] {
        guard !ids.isEmpty else { return [] }
        var byID: [Int64: Listing] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(Listing.selection(withRelease: withReleases)) FROM \(Listing.from(withRelease: withReleases))
                WHERE l.listing_id IN (\(chunk.map(String.init).joined(separator: ",")))
                """)
            while let row = try rows.next() {
                let listing = Listing(row: row, withRelease: withReleases)
                byID[listing.id] = listing
            }
        }
        return ids.compactMap { byID[$0] }
    }

    // MARK: Planning

    func plan(_ query: ListingQuery, _ db: Database, catalog: FacetCatalog? = nil) throws -> QueryPlan {
        let catalog = try catalog ?? self.catalog(db)
        return try QueryPlan(query, catalog: catalog) { match in
            try self.fullTextCount(match, db, generation: catalog.generation)
        }
    }

    func catalog(_ db: Database) throws -> FacetCatalog {
        let generation = try MirrorDatabase.generation(db)
        if let cached = catalogCache.withLock({ $0 }), cached.generation == generation { return cached }
        let fresh = try FacetCatalog.load(db, generation: generation)
        catalogCache.withLock { $0 = fresh }
        return fresh
    }

    /// FTS5 counts its matches quickly, but search-as-you-type asks for the same few prefixes
    /// again and again: remember them until the mirror changes.
    private func fullTextCount(_ match: String, _ db: Database, generation: Int64) throws -> Int {
        let stale = fullTextGeneration.withLock { current -> Bool in
            defer { current = generation }
            return current != generation
        }
        if stale { fullTextCounts.withLock { $0.removeAll() } }
        if let cached = fullTextCounts.withLock({ $0[match] }) { return cached }
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM listings_fts WHERE listings_fts MATCH ?", arguments: [match]) ?? 0
        fullTextCounts.withLock { cache in
            if cache.count > 256 { cache.removeAll() }
            cache[match] = count
        }
        return count
    }
}
