import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The current listings' filter and sort columns, held in memory for one generation of the
/// mirror, in the default order (newest posted first).
///
/// SQLite answers a broad query ("every LP", "words starting with l") row by row, 0.3–1 µs a
/// row: 30–100 ms over a 100,000-listing shop, for each count and each facet. Here the same
/// questions are bit tests over arrays: a filter is a set of value ids, a selection is a bitset
/// of positions, a count is a popcount, a page in any order is a walk along a precomputed
/// permutation. It holds ids, numbers and folded titles (about 70 bytes a listing with every
/// part built), never the listings themselves: rows are still read from SQLite one window at
/// a time.
///
/// The first screen needs only the order and the count, so everything else (the filter
/// columns, the facet catalog, the ids in ascending order, the folded titles, the sort orders)
/// is built when first asked for, or ahead of time by `prepare`, off the first frame's path.
final class InventoryIndex: Sendable {
    let generation: Int64
    /// Position → listing id, newest posted first; listings posted at the same second in the
    /// order they were first stored (as the old app listed them).
    let ids: ListingIDs
    /// What filters, counts and numeric sorts read, by position.
    struct Columns: Sendable {
        /// Each position's value, one column per `FacetCatalog.countedKinds` entry.
        var values: [ValueColumn]
        var prices: PriceColumn
        var years: [Int16]            // 0: unknown
        var conditionRanks: [Int8]    // 0: ungraded
    }
    /// Reading these along with the ids made a scan four times as long as the ids alone (about
    /// 70 ms against 17 at 100,000 listings).
    private let columnStore = Lazy<Columns>()
    /// Where each sort's order comes from, found when first asked for.
    private let orderSources: [SortField: Lazy<OrderSource>] = Dictionary(uniqueKeysWithValues: SortField.allCases.map { ($0, Lazy()) })
    /// The one counted order held: counting another costs 1–2 ms at 100,000 listings, so only
    /// the sort on screen keeps its 4 bytes a listing.
    private let counted = Mutex<(field: SortField, order: SortOrder)?>(nil)
    /// Each listing's folded title, for substring search (~25 bytes a listing).
    private let titles = Lazy<FoldedTitles>()
    /// Every filter value and its count over the whole inventory (40 ms at 100,000 listings,
    /// and needed only once a filter or the filter pane is used).
    private let facetCatalog = Lazy<FacetCatalog>()
    private let ascending = Lazy<AscendingIDs>()

    var count: Int { ids.count }

    /// Listing ids in ascending order with their positions: FTS5 returns matches by ascending
    /// rowid, so they map to positions by a merge rather than 80,000 hash lookups, and a
    /// listing's position is a binary search (a dictionary would cost 2.5 MB more per 100,000).
    struct AscendingIDs: Sendable {
        let ids: ListingIDs
        let positions: [Int32]

        /// Guesses where `id` lies from its value first, then halves: listing ids spread
        /// evenly enough that a guess or two land close, where 17 halvings of 100,000 ids were
        /// 17 cache misses each (most of the time of building the folded titles). A bad guess
        /// only narrows the range, so a lopsided spread costs a few probes more, never a miss.
        func position(of id: Int64) -> Int32? {
            var low = 0, high = ids.count   // the id, if here, is in low..<high
            var guesses = 0
            while low < high {
                var middle = (low + high) / 2
                let first = ids[low], last = ids[high - 1]
                if guesses < 3, first < last, first <= id, id <= last {
                    guesses += 1
                    let fraction = (Double(id) - Double(first)) / (Double(last) - Double(first))   // no overflow, whatever the ids
                    middle = low + Int(fraction * Double(high - 1 - low))
                }
                if ids[middle] < id { low = middle + 1 } else if ids[middle] > id { high = middle } else { return positions[middle] }
            }
            return nil
        }
    }

    var ascendingIDs: AscendingIDs {
        ascending.value {
            let order = ids.ascendingOrder()
            return AscendingIDs(ids: ListingIDs(ids, permutedBy: order), positions: order)
        }
    }

    /// The position of a current listing. (A loop over many ids takes `ascendingIDs` once
    /// instead: each call here takes a lock.)
    func position(ofID id: Int64) -> Int32? {
        ascendingIDs.position(of: id)
    }

    /// The facet catalog of this generation, from `db` (which must read this generation).
    func catalog(_ db: Database) throws -> FacetCatalog {
        try facetCatalog.value {
            let removed = try Int.fetchOne(db, sql: "SELECT count(*) FROM listings WHERE removed_at IS NOT NULL") ?? 0
            var catalog = try FacetCatalog.load(db, generation: generation, removedTotal: removed)
            let columns = try columns(db)
            catalog.setUnfiltered(FacetTally.count(values: columns.values, years: columns.years, prices: columns.prices,
                                                   selection: everything, capacity: catalog.idCapacity))
            return catalog
        }
    }

    /// Builds what later questions need (the columns, the catalog, the ascending ids, the
    /// folded titles), so that the first filter or search does not wait for them. `db` must
    /// read this generation.
    func prepare(_ db: Database) throws {
        _ = ascendingIDs
        _ = try catalog(db)
        _ = try foldedTitles(db)
        // A first sort by a field cost 25 ms at 100,000 listings. What it finds is held (4 bytes
        // a listing) or, for keys of few values, how to count the order when a key asks (1 ms).
        for field in SortField.allCases { _ = try orderSource(field, db) }
    }

    private init(generation: Int64, ids: ListingIDs) {
        self.generation = generation
        self.ids = ids
    }

    /// The current listings in the default order: one pass over the covering index, through
    /// the C API (a GRDB `Row` per listing would cost 1 µs each: 100 ms for a large shop).
    static func load(_ db: Database, generation: Int64) throws -> InventoryIndex {
        // No count(*) first to reserve exactly: walking the index twice cost more than the
        // array's geometric growth.
        var ids: [Int64] = []
        try SQLiteRows.step(db, sql: scanSQL([.listingID])) { handle in ids.append(sqlite3_column_int64(handle, 0)) }
        return InventoryIndex(generation: generation, ids: ListingIDs(ids))
    }

    private static func scanSQL(_ columns: [ListingColumn]) -> String {
        "SELECT \(ListingColumn.qualified(columns)) FROM listings l INDEXED BY l_scan WHERE l.removed_at IS NULL ORDER BY l.posted_at DESC, l.seq"
    }

    /// The filter columns, read along the same covering index in the same order. `db` must
    /// read this generation: a listing out of step with `ids` is an error, never a misplaced
    /// value.
    func columns(_ db: Database) throws -> Columns {
        try columnStore.value {
            let kinds = FacetCatalog.countedKinds
            // Each kind's values are coded by their place among the kind's values; an id of no
            // known value (there is none in a consistent mirror) reads as none, as it always did.
            let maxID = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM facet_values") ?? 0
            var codeOfID = [Int32](repeating: 0, count: maxID + 1)
            var columnOfID = [Int8](repeating: -1, count: maxID + 1)
            var kindIDs = [[Int32]](repeating: [], count: kinds.count)
            try SQLiteRows.step(db, sql: "SELECT id, kind FROM facet_values ORDER BY id") { handle in
                let id = Int(sqlite3_column_int64(handle, 0))
                guard id > 0, id <= maxID, let kind = FacetKind(rawValue: SQLiteRows.text(handle, 1)),
                      let column = kinds.firstIndex(of: kind) else { return }
                kindIDs[column].append(Int32(id))
                codeOfID[id] = Int32(kindIDs[column].count)
                columnOfID[id] = Int8(column)
            }
            var columns = Columns(values: kindIDs.map { ValueColumn(valueIDs: $0, capacity: count) }, prices: PriceColumn(capacity: count), years: [], conditionRanks: [])
            columns.years.reserveCapacity(count)
            columns.conditionRanks.reserveCapacity(count)
            var position = 0
            let base = Int32(kinds.count + 1)
            try SQLiteRows.step(db, sql: Self.scanSQL([.listingID] + kinds.map(\.idColumn) + [.priceValue, .year, .conditionRank])) { handle in
                guard position < ids.count, sqlite3_column_int64(handle, 0) == ids[position] else { throw IndexOutOfStep(generation: generation) }
                position += 1
                for k in 0..<kinds.count {
                    let id = Int(sqlite3_column_int64(handle, Int32(k + 1)))
                    let known = id > 0 && id <= maxID && columnOfID[id] == k
                    columns.values[k].append(known ? Int(codeOfID[id]) : 0)
                }
                columns.prices.append(sqlite3_column_type(handle, base) == SQLITE_NULL ? nil : sqlite3_column_double(handle, base))
                columns.years.append(Int16(clamping: sqlite3_column_int64(handle, base + 1)))
                columns.conditionRanks.append(Int8(truncatingIfNeeded: sqlite3_column_int64(handle, base + 2)))
            }
            guard position == ids.count else { throw IndexOutOfStep(generation: generation) }
            return columns
        }
    }

    /// A part of an index was asked for through a transaction that sees another generation.
    struct IndexOutOfStep: Error, CustomStringConvertible {
        let generation: Int64
        var description: String { "the mirror changed while its index (generation \(generation)) was being read: try again" }
    }

    var everything: Bitset { Bitset(capacity: count, full: true) }

    // MARK: Selection

    /// The positions matching every condition of `query` except its free text, intersected with
    /// `textMatches` (positions whose words match) when there is free text.
    func select(_ query: ListingQuery, textMatches: Bitset?, _ db: Database) throws -> Bitset {
        var selection = textMatches ?? everything
        for (column, kind) in FacetCatalog.countedKinds.enumerated() {
            let needles = query[values: kind]
            guard !needles.isEmpty else { continue }
            let catalog = try catalog(db)
            let ids = catalog.resolve(kind, needles: needles)
            guard !ids.isEmpty else { return Bitset(capacity: count) }
            selection = try columns(db).values[column].members(of: selection, holding: ids, idCapacity: catalog.idCapacity)
        }
        if query.minPrice != nil || query.maxPrice != nil || query.minYear != nil || query.maxYear != nil {
            let minPrice = query.minPrice ?? -.infinity, maxPrice = query.maxPrice ?? .infinity
            let minYear = query.minYear.map(Int32.init) ?? .min, maxYear = query.maxYear.map(Int32.init) ?? .max
            let checkPrice = query.minPrice != nil || query.maxPrice != nil
            let checkYear = query.minYear != nil || query.maxYear != nil
            let columns = try columns(db)
            let prices = columns.prices, years = columns.years
            var keep = Bitset(capacity: count)
            selection.forEach { position in
                if checkPrice {
                    let price = prices[position]
                    guard !price.isNaN, price >= minPrice, price <= maxPrice else { return }
                }
                if checkYear {
                    let year = Int32(years[position])
                    guard year != 0, year >= minYear, year <= maxYear else { return }
                }
                keep.insert(position)
            }
            selection = keep
        }
        return selection
    }

    /// Maps ids to positions, by walking `ascendingIDs` along while they arrive in ascending
    /// order (as FTS5 gives them), by a search for one that comes out of order.
    struct AscendingMapper {
        let ascending: AscendingIDs
        var cursor = 0
        var positions: Bitset

        init(_ index: InventoryIndex) {
            self.init(index.ascendingIDs, count: index.count)
        }

        init(_ ascending: AscendingIDs, count: Int) {
            self.ascending = ascending
            positions = Bitset(capacity: count)
        }

        mutating func add(_ id: Int64) {
            let ids = ascending.ids
            if cursor > 0 && ids[cursor - 1] >= id {
                if let position = ascending.position(of: id) { positions.insert(Int(position)) }
                return
            }
            cursor = ids.firstIndex(from: cursor, notBelow: id)
            if cursor < ids.count && ids[cursor] == id { positions.insert(Int(ascending.positions[cursor])) }
        }
    }

    /// Visits positions in `sort` order (along `order`, or the default order when nil) until
    /// `body` returns false. Descending is the ascending order reversed, ties included, except
    /// that listings without a value (no bin, no price) come last either way.
    private func walk(_ sort: ListingSort, order: SortOrder?, _ body: (Int) -> Bool) {
        if let order {
            if sort.descending {
                for p in order.positions[..<order.present].reversed() where !body(Int(p)) { return }
                for p in order.positions[order.present...].reversed() where !body(Int(p)) { return }
            } else {
                for p in order.positions where !body(Int(p)) { return }
            }
        } else if sort.descending {
            for p in 0..<count where !body(p) { return }
        } else {
            for p in stride(from: count - 1, through: 0, by: -1) where !body(p) { return }
        }
    }

    /// The listing ids of one window of `selection` in `sort` order.
    func window(of selection: Bitset, sort: ListingSort, limit: Int?, offset: Int, order: SortOrder?) -> [Int64] {
        var result: [Int64] = []
        var skipped = 0
        let wanted = limit ?? .max
        guard wanted > 0 else { return [] }
        walk(sort, order: order) { position in
            guard selection.contains(position) else { return true }
            if skipped < offset {
                skipped += 1
                return true
            }
            result.append(ids[position])
            return result.count < wanted
        }
        return result
    }

    /// How many members of `selection` come before `position` in `sort` order.
    func rank(of position: Int, in selection: Bitset, sort: ListingSort, order: SortOrder?) -> Int {
        var rank = 0
        walk(sort, order: order) { p in
            if p == position { return false }
            if selection.contains(p) { rank += 1 }
            return true
        }
        return rank
    }

    /// Value-id counts over a selection.
    func tally(of selection: Bitset, _ db: Database) throws -> FacetTally {
        let columns = try columns(db)
        return FacetTally.count(values: columns.values, years: columns.years, prices: columns.prices, selection: selection,
                                capacity: try catalog(db).idCapacity)
    }

    // MARK: Substrings

    /// Every current listing's folded title, laid out by position as `title 0x00`, so that
    /// one `memchr` pass over a few megabytes finds every hit. Artists are not here: a shop has
    /// a tenth as many artists as listings, and the facet catalog holds each one's folded name.
    struct FoldedTitles: Sendable {
        var bytes: [UInt8] = []
        /// Where position p's title starts.
        var starts: [Int32] = []

        /// The position whose title holds byte `offset`, at or after `from` (hits come in
        /// ascending order, so a walk from the last one beats a binary search: a one-letter
        /// needle hits nearly every title).
        func position(at offset: Int, from: Int) -> Int {
            var position = from
            while position + 1 < starts.count, Int(starts[position + 1]) <= offset { position += 1 }
            return position
        }
    }

    /// What a substring search reads, taken from the index once so that the scan itself
    /// needs no database (it runs beside the full-text query, on another thread).
    struct SubstringSearch: Sendable {
        let titles: FoldedTitles
        let catalog: FacetCatalog
        /// Each position's artist.
        let artists: ValueColumn

        /// Positions whose folded artist or title contains `needle` (folded): the old app's
        /// `title ILIKE '%q%' OR artist ILIKE '%q%'`, which wax's free text must still find.
        func matches(_ needle: String) -> Bitset {
            let everything = Bitset(capacity: artists.count, full: true)
            let pattern = Array(needle.utf8)
            guard !pattern.isEmpty else { return everything }
            guard !pattern.contains(0) else { return Bitset(capacity: artists.count) }   // the separator
            var found = Bitset(capacity: artists.count)
            titles.bytes.withUnsafeBytes { bytes in
                pattern.withUnsafeBytes { needle in
                    guard let base = bytes.baseAddress, let needleBase = needle.baseAddress else { return }
                    var offset = 0, position = 0
                    while let hit = ByteSearch.firstOffset(of: needleBase, needle.count, in: base, from: offset, to: bytes.count) {
                        position = titles.position(at: hit, from: position)
                        found.insert(position)
                        // On to the next listing: this one is found.
                        offset = position + 1 < titles.starts.count ? Int(titles.starts[position + 1]) : bytes.count
                    }
                }
            }
            let artistIDs = catalog.resolve(.artist, folded: [pattern])
            guard !artistIDs.isEmpty else { return found }
            found.formUnion(artists.members(of: everything, holding: artistIDs, idCapacity: catalog.idCapacity))
            return found
        }
    }

    func substringSearch(_ db: Database) throws -> SubstringSearch {
        let artistColumn = FacetCatalog.countedKinds.firstIndex(of: .artist)!
        return SubstringSearch(titles: try foldedTitles(db), catalog: try catalog(db),
                               artists: try columns(db).values[artistColumn])
    }

    func foldedTitles(_ db: Database) throws -> FoldedTitles {
        try titles.value {
            // The key index is read twice (covering: no row is read): the lengths first, so that
            // each title is then copied straight to its position's place. Reading the titles in
            // index order into a buffer of their own and laying them out afterwards held both at
            // once: 30 MB more at the peak for a million listings.
            let ascending = ascendingIDs
            let sql = "SELECT listing_id, \(ListingColumn.titleKey.name) FROM listings INDEXED BY l_\(ListingColumn.titleKey.name) WHERE removed_at IS NULL"
            var starts = [Int32](repeating: 1, count: count)   // the separator, for a listing without a title
            try SQLiteRows.step(db, sql: sql) { handle in
                guard let position = ascending.position(of: sqlite3_column_int64(handle, 0)), sqlite3_column_text(handle, 1) != nil else { return }
                starts[Int(position)] = sqlite3_column_bytes(handle, 1) + 1
            }
            var total: Int32 = 0
            for position in starts.indices {
                let length = starts[position]
                starts[position] = total
                total += length
            }
            var bytes = [UInt8](repeating: 0, count: Int(total))   // a 0 after each title: a hit never spans two
            try bytes.withUnsafeMutableBufferPointer { bytes in
                try SQLiteRows.step(db, sql: sql) { handle in
                    guard let position = ascending.position(of: sqlite3_column_int64(handle, 0)), let text = sqlite3_column_text(handle, 1) else { return }
                    let start = Int(starts[Int(position)])
                    let end = Int(position) + 1 < starts.count ? Int(starts[Int(position) + 1]) : bytes.count
                    let length = Int(sqlite3_column_bytes(handle, 1))
                    guard start + length < end else { return }   // the same transaction: never
                    UnsafeMutableRawPointer(bytes.baseAddress! + start).copyMemory(from: text, byteCount: length)
                }
            }
            return FoldedTitles(bytes: bytes, starts: starts)
        }
    }

    // MARK: Orders

    /// Where a sort's order comes from.
    enum OrderSource: Sendable {
        /// The default order: the positions themselves.
        case positions
        /// Built once and held, 4 bytes a listing.
        case held(SortOrder)
        /// Counted into place when asked for.
        case counted(CountedKey)
    }

    /// The ascending order of `field`, nil for the default order, which is the positions
    /// themselves. Built on first use, or ahead by `prepare`; a counted one again each time
    /// another counted one was asked for in between.
    func order(_ field: SortField, _ db: Database) throws -> SortOrder? {
        switch try orderSource(field, db) {
        case .positions:
            return nil
        case .held(let order):
            return order
        case .counted(let key):
            let columns = try columns(db), ascending = ascendingIDs.positions
            return counted.withLock { held in
                if let held, held.field == field { return held.order }
                held = nil   // freed before the next one is counted
                let order = key.order(columns, along: ascending)
                held = (field, order)
                return order
            }
        }
    }

    func orderSource(_ field: SortField, _ db: Database) throws -> OrderSource {
        // Every field has its entry (the dictionary is built from all of them).
        try orderSources[field]!.value { try buildOrderSource(field, db) }
    }

    private func buildOrderSource(_ field: SortField, _ db: Database) throws -> OrderSource {
        switch field {
        case .posted:
            return .positions
        case .price:
            let prices = try columns(db).prices
            return .held(numericOrder { prices.sortKey(at: $0) })
        case .year:
            return .counted(CountedKey(numbers: try columns(db).years, CountedKey.Ranked.year))
        case .condition:
            return .counted(CountedKey(numbers: try columns(db).conditionRanks, CountedKey.Ranked.grade))
        case .artist:
            return try textOrder(field, facet: .artist, db)
        case .location:
            return try textOrder(field, facet: .location, db)
        case .title:
            return try textOrder(field, facet: nil, db)
        }
    }

    /// The order of a text key, from its index (l_<column>, sorted byte-wise as SQLite does;
    /// those without one after, by id). A key that is one per value of `facet` is counted when
    /// asked for instead of held: a first pass ranks the values without holding any order.
    private func textOrder(_ field: SortField, facet: FacetKind?, _ db: Database) throws -> OrderSource {
        if let facet, let column = FacetCatalog.countedKinds.firstIndex(of: facet) {
            var ranking = CodeRanking(column: column, codes: try columns(db).values[column])
            try scanTextKey(field, db) { position, key in ranking.add(position: position, key: key) }
            if let key = ranking.key { return .counted(key) }
        }
        var positions: [Int32] = []
        positions.reserveCapacity(count)
        var present = 0
        try scanTextKey(field, db) { position, key in
            positions.append(Int32(position))
            if key != nil { present = positions.count }
        }
        return .held(SortOrder(positions: positions, present: present))
    }

    /// Every current listing's position and key (nil: none) in the key's order, ties by id.
    private func scanTextKey(_ field: SortField, _ db: Database, _ body: (Int, UnsafeRawBufferPointer?) -> Void) throws {
        let column = field.column.name
        let ascending = ascendingIDs
        for (condition, order, keyed) in [("\(column) IS NOT NULL", "\(column), listing_id", true), ("\(column) IS NULL", "listing_id", false)] {
            try SQLiteRows.step(db, sql: "SELECT listing_id, \(column) FROM listings INDEXED BY l_\(column) WHERE removed_at IS NULL AND \(condition) ORDER BY \(order)") { handle in
                guard let position = ascending.position(of: sqlite3_column_int64(handle, 0)) else { return }
                // An empty key reads as a null pointer: it is still a key, before every other.
                body(Int(position), keyed ? UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, 1), count: Int(sqlite3_column_bytes(handle, 1))) : nil)
            }
        }
    }

    /// Positions sorted by a numeric key, missing values last, ties by id. Sorts positions in
    /// place rather than (key, id, position) tuples: 0.4 MB of temporary memory per 100,000
    /// listings instead of 7.
    private func numericOrder(_ key: (Int) -> Double?) -> SortOrder {
        var order = Array(0..<Int32(count))
        order.sort { a, b in
            switch (key(Int(a)), key(Int(b))) {
            case (nil, nil): return ids[Int(a)] < ids[Int(b)]
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return x != y ? x < y : ids[Int(a)] < ids[Int(b)]
            }
        }
        let present = order.firstIndex { key(Int($0)) == nil } ?? order.count
        return SortOrder(positions: order, present: present)
    }
}
