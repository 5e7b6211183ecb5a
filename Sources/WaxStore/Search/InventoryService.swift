import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The mirror as the browser and `wax serve` read it: windowed searches, counts, facets and
/// positions over an in-memory index of the current listings, rebuilt only when the listings
/// change. Each feature's store hangs off it (`outbox`, `orderBook`, `reports`…), so one open
/// mirror serves them all; no code outside this module runs SQL. Safe to share between threads.
public final class InventoryService: Sendable {
    public let database: MirrorDatabase
    private let indexCache = Mutex<InventoryIndex?>(nil)
    private let indexLoadCount = Mutex(0)
    private let indexLoading = Mutex(())
    private let textCache = Mutex<[String: (generation: Int64, positions: Bitset)]>([:])

    /// When a commit lands, answer from the previous generation's index while one reload runs
    /// in the background, instead of making every reader wait for it. Right for `wax serve`: for
    /// a few hundred milliseconds after a sync it answers as of the sync before (rows read are
    /// current). The browser keeps it off: it compares generations to know when to refresh.
    private let staleWhileReloading: Bool
    private let reloadingInBackground = Mutex(false)

    public init(database: MirrorDatabase, staleWhileReloading: Bool = false) {
        self.database = database
        self.staleWhileReloading = staleWhileReloading
    }

    /// `fillsAlone`: see `MirrorDatabase.open`.
    public static func open(at path: URL, staleWhileReloading: Bool = false, fillsAlone: Bool = false) throws -> InventoryService {
        InventoryService(database: try MirrorDatabase.open(at: path, fillsAlone: fillsAlone), staleWhileReloading: staleWhileReloading)
    }

    // MARK: The feature stores

    /// Staff actions: queue, undo, cancel, retry, holds.
    public var outbox: OutboxStore { OutboxStore(database: database) }
    /// The sender's side of the outbox.
    public var outboxQueue: OutboxQueue { OutboxQueue(database: database) }
    /// Discogs orders, the pick list, double sales.
    public var orderBook: OrderBook { OrderBook(database: database) }
    /// Stats, sync runs, changes, sales.
    public var reports: Reports { Reports(database: database) }
    /// CSV imports.
    public var importer: ImportStore { ImportStore(database: database) }
    /// Taking stock in: stock and past sales of a release, new listings, stickers.
    public var intake: IntakeStore { IntakeStore(database: database) }
    /// Reprice runs: their listings, how they are sent, and what became of them.
    public var reprice: RepriceStore { RepriceStore(database: database) }
    /// What a sync writes and plans from.
    public var syncStore: SyncStore { SyncStore(database: database) }

    // MARK: Reading

    /// Each kind of change's counter: what a reader compares to know what to read again.
    public func changeCounters() throws -> MirrorChangeCounters {
        try database.changeCounters()
    }

    /// How many times this service built its index: a confirmation from Discogs must not cost one.
    public var indexLoads: Int { indexLoadCount.withLock { $0 } }

    /// Goes up with every committed change to the listings, from any process.
    public func generation() throws -> Int64 {
        try database.read { try MirrorDatabase.generation($0) }
    }

    public func listing(id: Int64) throws -> Listing? {
        try database.read { db in
            // A cached statement: the detail pane reads one listing per key, and preparing this
            // join of 60 columns (GRDB authorizes each) cost more than running it.
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT \(Listing.selection(withRelease: true)) FROM \(Listing.from(withRelease: true))
                WHERE l.listing_id = ?
                """), arguments: [id]).map { Listing(row: $0, withRelease: true) }
        }
    }

    /// Every current listing in `sort` order (exports; the UI reads windows instead).
    public func allListings(sort: ListingSort = .default, withReleases: Bool = true) throws -> [Listing] {
        try search(ListingQuery(sort: sort), withReleases: withReleases)
    }

    /// One window (`limit`/`offset`) of the listings matching `query`, in its order.
    public func search(_ query: ListingQuery, withReleases: Bool = false) throws -> [Listing] {
        try database.read { db in
            try Self.fetchListings(db, ids: try self.windowIDs(query, db), withReleases: withReleases)
        }
    }

    /// Just the ids of a window, in order (cheap: what a list needs to keep its selection).
    public func searchIDs(_ query: ListingQuery) throws -> [Int64] {
        try database.read { db in try self.windowIDs(query, db) }
    }

    public func count(_ query: ListingQuery) throws -> Int {
        try database.read { db in try self.total(query, db) }
    }

    /// A window and the total count, read in one transaction so they agree.
    public func page(_ query: ListingQuery, withReleases: Bool = false) throws -> (listings: [Listing], total: Int) {
        try database.read { db in
            (try Self.fetchListings(db, ids: try self.windowIDs(query, db), withReleases: withReleases), try self.total(query, db))
        }
    }

    /// Value → count for every facet kind over the listings matching `query` (its order and
    /// window are ignored). `limit` keeps the most frequent values of each kind.
    public func facets(_ query: ListingQuery, limit: Int? = nil) throws -> Facets {
        try database.read { db in
            let index = try self.index(db)
            let catalog = try index.catalog(db)
            if query.includeRemoved {
                let plan = QueryPlan(query.selection, catalog: catalog)
                if plan.isEmpty { return catalog.facets(from: FacetTally(), limit: limit) }
                let (sql, arguments) = plan.facetSQL
                return catalog.facets(from: try FacetTally.count(db, sql: sql, arguments: arguments, size: catalog.idCapacity), limit: limit)
            }
            if !query.hasConditions {
                return catalog.facets(from: catalog.unfilteredTally, limit: nil).limited(to: limit)
            }
            return catalog.facets(from: try index.tally(of: try self.selection(query, index, db), db), limit: limit)
        }
    }

    /// Where listing `id` is in `query`'s result (its order, no window), or nil when it is not
    /// there: how a list keeps the same listing selected when the result changes under it.
    public func position(of id: Int64, in query: ListingQuery) throws -> Int? {
        try database.read { db in
            var whole = query
            whole.limit = nil
            whole.offset = 0
            if whole.includeRemoved { return try self.windowIDs(whole, db).firstIndex(of: id) }
            let index = try self.index(db)
            guard let target = index.position(ofID: id) else { return nil }
            let selection = try self.selection(whole, index, db)
            guard selection.contains(Int(target)) else { return nil }
            return index.rank(of: Int(target), in: selection, sort: whole.sort, order: try index.order(whole.sort.field, db))
        }
    }

    // MARK: Evaluation

    func windowIDs(_ query: ListingQuery, _ db: Database) throws -> [Int64] {
        let index = try self.index(db)
        if query.includeRemoved {
            let plan = QueryPlan(query, catalog: try index.catalog(db))
            guard !plan.isEmpty else { return [] }
            let (sql, arguments) = plan.idsSQL
            return try Int64.fetchAll(db, sql: sql, arguments: arguments)
        }
        let selection = try self.selection(query, index, db)
        return index.window(of: selection, sort: query.sort, limit: query.limit, offset: query.offset,
                            order: try index.order(query.sort.field, db))
    }

    private func total(_ query: ListingQuery, _ db: Database) throws -> Int {
        let index = try self.index(db)
        if query.includeRemoved {
            let plan = QueryPlan(query.selection, catalog: try index.catalog(db))
            guard !plan.isEmpty else { return 0 }
            let (sql, arguments) = plan.countSQL
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
        if !query.hasConditions { return index.count }
        return try selection(query, index, db).count
    }

    private func selection(_ query: ListingQuery, _ index: InventoryIndex, _ db: Database) throws -> Bitset {
        let text = query.text.trimmed
        var selection = try index.select(query, textMatches: text.isEmpty ? nil : try textMatches(text, index, db), db)
        if query.heldOnly == true {
            // Holds are a handful of rows: their positions, rather than a column in the index.
            var held = Bitset(capacity: index.count)
            for id in try Int64.fetchAll(db, sql: "SELECT listing_id FROM holds") {
                if let position = index.position(ofID: id), selection.contains(Int(position)) { held.insert(Int(position)) }
            }
            selection = held
        }
        return selection
    }

    /// The index for the generation `db` sees (or, with `staleWhileReloading`, the previous
    /// one while the next loads).
    func index(_ db: Database) throws -> InventoryIndex {
        // Nil only for a caller that skips an outdated generation.
        try index(db, skippingOutdated: false)!
    }

    /// The same, or nil when `skippingOutdated` and an index of a later generation than `db`
    /// sees is cached already: then an index for `db` would be built for this caller alone.
    func index(_ db: Database, skippingOutdated: Bool) throws -> InventoryIndex? {
        let generation = try MirrorDatabase.generation(db)
        let cached = indexCache.withLock { $0 }
        if let cached, cached.generation == generation { return cached }
        if staleWhileReloading, let cached, cached.generation < generation {
            reloadInBackground()
            return cached
        }
        return try loadIndex(db, generation: generation, skippingOutdated: skippingOutdated)
    }

    /// Loads the index once per generation: when a commit lands, the readers that notice it
    /// together (sixteen `wax serve` connections) wait for one load instead of each loading the
    /// same index on two cores.
    private func loadIndex(_ db: Database, generation: Int64, skippingOutdated: Bool = false) throws -> InventoryIndex? {
        try indexLoading.withLock { _ in
            let cached = indexCache.withLock { $0 }
            if let cached, cached.generation == generation { return cached }
            if skippingOutdated, let cached, cached.generation > generation { return nil }
            let fresh = try InventoryIndex.load(db, generation: generation)
            // Served stale, an index is asked about through transactions that see a later
            // generation than its own: it is completed now, from its own.
            if staleWhileReloading { try fresh.prepare(db) }
            indexLoadCount.withLock { $0 += 1 }
            // A reader on an older snapshot than the cache gets its own index, uncached.
            if cached.map({ $0.generation < generation }) ?? true {
                indexCache.withLock { $0 = fresh }
                textCache.withLock { $0.removeAll() }
            }
            return fresh
        }
    }

    /// Builds on another thread what the first filter, search or sort will need (the filter
    /// columns, the facet catalog, the ascending ids, the folded titles, the sort orders:
    /// 240–400 ms at 100,000 listings), so that the key that first asks for one finds it ready,
    /// or waits only for the rest of that one build.
    /// The browser calls it once its first screen is read.
    public func prepareInBackground() {
        Thread.detachNewThread { [self] in
            // Nothing is lost if it fails: the first question that needs a part builds it.
            try? prepare()
        }
    }

    /// The same, on the caller's thread. One that began reading before a commit whose index is
    /// cached already (a background prepare that waited long for a core) prepares nothing: the
    /// newer index's own prepare follows its load.
    public func prepare() throws {
        try database.read { db in try index(db, skippingOutdated: true)?.prepare(db) }
    }

    private func reloadInBackground() {
        let start = reloadingInBackground.withLock { running in
            defer { running = true }
            return !running
        }
        guard start else { return }
        Thread.detachNewThread { [self] in
            defer { reloadingInBackground.withLock { $0 = false } }
            do {
                _ = try database.read { db in try loadIndex(db, generation: try MirrorDatabase.generation(db)) }
            } catch {
                // The next reader that finds the index stale tries again.
            }
        }
    }

    /// Positions of current listings the free text finds: every word a prefix of one of theirs
    /// (FTS5), or the whole text part of their title or artist (the old app's `ilike`, so wax's
    /// search is a true superset of it). Typing asks for the same few texts again and again (a
    /// page, then its facets), so recent answers are kept until the mirror changes.
    private func textMatches(_ text: String, _ index: InventoryIndex, _ db: Database) throws -> Bitset {
        if let cached = textCache.withLock({ $0[text] }), cached.generation == index.generation { return cached.positions }
        // The substring scan runs beside the full-text query: on two cores a search costs the
        // longer of the two, not their sum.
        let search = try index.substringSearch(db), needle = TextFold.fold(text)
        let substring = Mutex<Bitset?>(nil)
        let scanned = DispatchGroup()
        Self.substringQueue.async(group: scanned) { substring.withLock { $0 = search.matches(needle) } }
        var words: Bitset?
        if let match = FullTextQuery.match(text) {
            var mapper = InventoryIndex.AscendingMapper(index)
            try SQLiteRows.step(db, sql: "SELECT rowid FROM listings_fts WHERE listings_fts MATCH ? ORDER BY rowid", arguments: [match]) { handle in
                mapper.add(sqlite3_column_int64(handle, 0))
            }
            words = mapper.positions
        }
        scanned.wait()
        var positions = substring.withLock { $0 } ?? Bitset(capacity: index.count)
        if let words { positions.formUnion(words) }
        textCache.withLock { cache in
            if cache.count >= 32 { cache.removeAll() }
            cache[text] = (index.generation, positions)
        }
        return positions
    }

    /// Its own queue (not the global pool, which blocked readers could exhaust).
    private static let substringQueue = DispatchQueue(label: "wax.substring-scan", qos: .userInitiated)

    /// How many current listings the full-text index alone finds for `text`'s words, each
    /// id taken out inside SQLite (a search needs every one; `count(*)` alone skips them),
    /// with nothing else done: what a search cannot beat (benchmarks print it beside the search).
    public func fullTextOnlyCount(_ text: String) throws -> Int {
        guard let match = FullTextQuery.match(text) else { return 0 }
        return try database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*), sum(rowid) FROM listings_fts WHERE listings_fts MATCH ?", arguments: [match]) ?? 0
        }
    }

    /// How many current listings the substring scan alone finds for `text` (the other half of a
    /// search, run beside the full text: benchmarks print it to say which half a search waits on).
    public func substringOnlyCount(_ text: String) throws -> Int {
        try database.read { db in try index(db).substringSearch(db).matches(TextFold.fold(text)).count }
    }

    /// Drops the recent text answers, so that a benchmark measures a search as a new text costs.
    public func forgetRecentTextMatches() {
        textCache.withLock { $0.removeAll() }
    }

    static func fetchListings(_ db: Database, ids: [Int64], withReleases: Bool) throws -> [Listing] {
        guard !ids.isEmpty else { return [] }
        // One cached statement whatever the ids (a JSON array parameter): preparing a new
        // `IN (…)` statement per window cost a tenth of a `wax serve` request.
        let statement = try db.cachedStatement(sql: """
            SELECT \(Listing.selection(withRelease: withReleases)) FROM \(Listing.from(withRelease: withReleases))
            WHERE l.listing_id IN (SELECT value FROM json_each(?))
            """)
        var byID: [Int64: Listing] = [:]
        byID.reserveCapacity(ids.count)
        let rows = try Row.fetchCursor(statement, arguments: ["[" + ids.map(String.init).joined(separator: ",") + "]"])
        while let row = try rows.next() {
            let listing = Listing(row: row, withRelease: withReleases)
            byID[listing.id] = listing
        }
        return ids.compactMap { byID[$0] }
    }
}
