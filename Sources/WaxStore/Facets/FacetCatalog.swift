import Foundation
import GRDB
import GRDBSQLite

/// Every filter value with the number of current listings holding it, as of one generation of
/// the mirror. Built once per generation (one pass over the covering index) and shared by all
/// queries until the mirror changes: it resolves text filters to value ids, estimates how many
/// rows a filter selects (to plan the query) and answers facets for the unfiltered inventory.
///
/// Value ids are small dense integers, so counts live in plain arrays indexed by id.
struct FacetCatalog: Sendable {
    struct Value: Sendable {
        let id: Int64
        let kind: FacetKind
        /// Folded bytes of each entry: one for most kinds, one per genre/style of a release's list.
        let keys: [[UInt8]]
        let labels: [String]
        /// Where each key counts in `entries[kind]`: values that fold alike share an entry.
        var entries: [Int32] = []
    }

    let generation: Int64
    private(set) var values: [FacetKind: [Value]] = [:]
    /// The distinct labels of each kind that facets count (one per folded key).
    private var entries: [FacetKind: [String]] = [:]
    /// Indexed by value id.
    private var valueByID: [Value?] = []
    private(set) var counts: [Int32] = []
    private(set) var yearCounts: [Int: Int] = [:]
    private(set) var priceBandCounts: [Int] = []
    private(set) var currentTotal = 0
    private(set) var removedTotal = 0
    private var unfilteredFacets: Facets?

    /// The id columns in the order `countColumns` selects them.
    static let countedKinds: [FacetKind] = [.artist, .label, .format, .genre, .style, .location, .condition, .sleeveCondition, .status]
    static var countColumns: String { ListingColumn.qualified(countedKinds.map(\.idColumn) + [.year, .priceValue]) }

    static func load(_ db: Database, generation: Int64, removedTotal: Int) throws -> FacetCatalog {
        var catalog = FacetCatalog(generation: generation)
        catalog.removedTotal = removedTotal
        let maxID = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM facet_values") ?? 0
        catalog.valueByID = Array(repeating: nil, count: maxID + 1)
        // Through the C API: a GRDB Row per value cost 2.5 µs, a third of a large shop's start.
        try SQLiteRows.step(db, sql: "SELECT id, kind, key, label FROM facet_values") { handle in
            guard let kind = FacetKind(rawValue: SQLiteRows.text(handle, 1)) else { return }
            let key = SQLiteRows.text(handle, 2), label = SQLiteRows.text(handle, 3)
            let value: Value
            if kind.isMultiValued {
                let keys = ListText.split(key), labels = ListText.split(label)
                value = Value(id: sqlite3_column_int64(handle, 0), kind: kind, keys: keys.map { Array($0.utf8) },
                              labels: labels.count == keys.count ? labels : keys)
            } else {
                value = Value(id: sqlite3_column_int64(handle, 0), kind: kind, keys: [Array(key.utf8)], labels: [label])
            }
            catalog.values[kind, default: []].append(value)
        }
        catalog.assignEntries()
        return catalog
    }

    /// Numbers each distinct folded key per kind once, so that counting facets is array
    /// arithmetic rather than hashing byte arrays for every value that has listings.
    private mutating func assignEntries() {
        for (kind, list) in values {
            var entryByKey: [[UInt8]: Int32] = [:]
            var labels: [String] = []
            var numbered = list
            for v in numbered.indices {
                numbered[v].entries = zip(numbered[v].keys, numbered[v].labels).map { key, label in
                    if let entry = entryByKey[key] { return entry }
                    let entry = Int32(labels.count)
                    entryByKey[key] = entry
                    labels.append(label)
                    return entry
                }
                if Int(numbered[v].id) < valueByID.count { valueByID[Int(numbered[v].id)] = numbered[v] }
            }
            values[kind] = numbered
            entries[kind] = labels
        }
    }

    /// Records the counts over every current listing (the estimates and the unfiltered facets).
    mutating func setUnfiltered(_ tally: FacetTally) {
        counts = tally.counts
        yearCounts = tally.years
        priceBandCounts = tally.priceBands
        currentTotal = tally.rows
        unfilteredFacets = facets(from: tally, limit: nil)
    }

    var idCapacity: Int { valueByID.count }

    /// Ids of the values of `kind` whose folded text contains one of the folded needles. For
    /// genres, styles and formats a value is a list, and it matches when one of its entries does.
    func resolve(_ kind: FacetKind, needles: [String]) -> [Int64] {
        let folded = needles.map { Array(TextFold.fold($0.trimmed).utf8) }
        let all = values[kind, default: []]
        if folded.contains(where: \.isEmpty) { return all.map(\.id) }
        return all.compactMap { value in
            value.keys.contains { key in
                key.withUnsafeBytes { keyBytes in folded.contains { needle in needle.withUnsafeBytes { Self.contains(keyBytes, $0) } } }
            } ? value.id : nil
        }
    }

    /// Byte substring search (glibc's memmem is not visible from Swift).
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        let n = needle.count, h = haystack.count
        guard n > 0 else { return true }
        guard n <= h, let hb = haystack.baseAddress, let nb = needle.baseAddress else { return false }
        let first = needle[0]
        var i = 0
        while i <= h - n {
            if haystack[i] == first && memcmp(hb + i, nb, n) == 0 { return true }
            i += 1
        }
        return false
    }

    func listingCount(of ids: [Int64]) -> Int {
        ids.reduce(0) { total, id in total + (Int(id) < counts.count ? Int(counts[Int(id)]) : 0) }
    }

    /// Turns per-id counts into per-value counts for each kind, splitting genre and style lists
    /// and merging values that fold alike.
    func facets(from tally: FacetTally, limit: Int?) -> Facets {
        if tally.isUnfiltered, let unfilteredFacets, limit == nil { return unfilteredFacets }
        var counts = entries.mapValues { [Int](repeating: 0, count: $0.count) }
        for (index, count) in tally.counts.enumerated() where count > 0 {
            guard index < valueByID.count, let value = valueByID[index] else { continue }
            for entry in value.entries { counts[value.kind]?[Int(entry)] += Int(count) }
        }
        var result = Facets()
        for kind in FacetKind.allCases where kind != .year {
            guard let labels = entries[kind], let kindCounts = counts[kind] else {
                result[kind] = []
                continue
            }
            var list: [FacetValue] = []
            for (entry, count) in kindCounts.enumerated() where count > 0 { list.append(FacetValue(value: labels[entry], count: count)) }
            result[kind] = Facets.top(list, limit: limit)
        }
        result[.year] = Facets.top(tally.years.map { FacetValue(value: String($0.key), count: $0.value) }, limit: limit)
        result.priceBands = tally.priceBands
        return result
    }

    var unfilteredTally: FacetTally {
        FacetTally(counts: counts, years: yearCounts, priceBands: priceBandCounts, rows: currentTotal, isUnfiltered: true)
    }
}

/// Counts of value ids over some set of listings.
struct FacetTally {
    var counts: [Int32] = []
    var years: [Int: Int] = [:]
    /// Listings per `PriceBand.all` entry.
    var priceBands = [Int](repeating: 0, count: PriceBand.all.count)
    var rows = 0
    var isUnfiltered = false

    /// Runs `sql` (which selects `FacetCatalog.countColumns`) and counts every id it returns.
    static func count(_ db: Database, sql: String, arguments: StatementArguments, size: Int) throws -> FacetTally {
        var tally = FacetTally(counts: Array(repeating: 0, count: size))
        let columns = Int32(FacetCatalog.countedKinds.count)
        try tally.counts.withUnsafeMutableBufferPointer { counts in
            try SQLiteRows.step(db, sql: sql, arguments: arguments) { handle in
                tally.rows += 1
                for column in 0..<columns where sqlite3_column_type(handle, column) == SQLITE_INTEGER {
                    let id = Int(sqlite3_column_int64(handle, column))
                    if id < counts.count { counts[id] += 1 }
                }
                if sqlite3_column_type(handle, columns) == SQLITE_INTEGER {
                    tally.years[Int(sqlite3_column_int64(handle, columns)), default: 0] += 1
                }
                if sqlite3_column_type(handle, columns + 1) != SQLITE_NULL, let band = PriceBand.index(of: sqlite3_column_double(handle, columns + 1)) {
                    tally.priceBands[band] += 1
                }
            }
        }
        return tally
    }

    /// Counts the value ids of the in-memory columns over a selection of positions.
    static func count(valueIDs: [[Int32]], years: [Int32], prices: [Double], selection: Bitset, capacity: Int) -> FacetTally {
        var tally = FacetTally(counts: Array(repeating: 0, count: capacity))
        // Years are small numbers: an array beats a dictionary in a loop over every listing.
        var byYear = [Int](repeating: 0, count: 4_096)
        let everything = selection.count == years.count
        tally.counts.withUnsafeMutableBufferPointer { counts in
            for column in valueIDs {
                column.withUnsafeBufferPointer { values in
                    if everything {   // the unfiltered catalog, built at every generation
                        for id in values where id > 0 && Int(id) < counts.count { counts[Int(id)] += 1 }
                    } else {
                        selection.forEach { position in
                            let id = Int(values[position])
                            if id > 0 && id < counts.count { counts[id] += 1 }
                        }
                    }
                }
            }
            years.withUnsafeBufferPointer { years in
                byYear.withUnsafeMutableBufferPointer { byYear in
                    if everything {
                        for year in years where year > 0 && year < 4_096 { byYear[Int(year)] += 1 }
                    } else {
                        selection.forEach { position in
                            let year = years[position]
                            if year > 0 && year < 4_096 { byYear[Int(year)] += 1 }
                        }
                    }
                }
            }
        }
        for (year, count) in byYear.enumerated() where count > 0 { tally.years[year] = count }
        selection.forEach { position in
            if let band = PriceBand.index(of: prices[position]) { tally.priceBands[band] += 1 }
        }
        tally.rows = selection.count
        return tally
    }
}

/// One value of a facet and how many listings of the current selection have it.
public struct FacetValue: Sendable, Equatable, Hashable, Codable {
    public var value: String
    public var count: Int
    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}

/// Value → count for each facet kind, most frequent first.
public struct Facets: Sendable, Equatable, Codable {
    public var byKind: [FacetKind: [FacetValue]] = [:]
    /// Listings per `PriceBand.all` entry.
    public var priceBands: [Int] = []

    public init() {}

    public subscript(kind: FacetKind) -> [FacetValue] {
        get { byKind[kind] ?? [] }
        set { byKind[kind] = newValue }
    }

    /// The `limit` most frequent values (ties by name). With thousands of artists only the
    /// candidates above the limit's count are sorted.
    static func top(_ entries: [FacetValue], limit: Int?) -> [FacetValue] {
        var candidates = entries
        if let limit, limit > 0, entries.count > limit * 4 {
            let threshold = entries.map(\.count).sorted(by: >)[limit - 1]
            candidates = entries.filter { $0.count >= threshold }
        }
        let sorted = candidates.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        guard let limit, sorted.count > limit else { return sorted }
        return Array(sorted.prefix(limit))
    }

    /// The first `limit` values of each kind.
    func limited(to limit: Int?) -> Facets {
        guard let limit else { return self }
        var copy = self
        for (kind, list) in byKind where list.count > limit { copy.byKind[kind] = Array(list.prefix(limit)) }
        return copy
    }
}

/// Ready price ranges for the filter pane: a click instead of typing min and max.
public struct PriceBand: Sendable, Equatable {
    /// Inclusive lower bound (nil: from nothing).
    public let low: Double?
    /// Exclusive upper bound (nil: no end).
    public let high: Double?

    public static let all = [PriceBand(low: nil, high: 5), PriceBand(low: 5, high: 10), PriceBand(low: 10, high: 20),
                             PriceBand(low: 20, high: 50), PriceBand(low: 50, high: 100), PriceBand(low: 100, high: nil)]

    public var label: String {
        switch (low, high) {
        case (nil, let high?): "under \(Int(high))"
        case (let low?, nil): "\(Int(low)) and over"
        case (let low?, let high?): "\(Int(low)) – \(Int(high))"
        default: "any"
        }
    }

    /// The query bounds (inclusive both ends, to the cent).
    public var minPrice: Double? { low }
    public var maxPrice: Double? { high.map { $0 - 0.01 } }

    static func index(of price: Double) -> Int? {
        guard !price.isNaN else { return nil }
        return all.firstIndex { band in (band.low.map { price >= $0 } ?? true) && (band.high.map { price < $0 } ?? true) }
    }
}
