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
    /// One kind's values, flat: a value has one folded key (a genre or style list, one per
    /// part), each key an entry in the facet (keys that fold alike share one). About 60 bytes
    /// a value where a struct of arrays per value cost 420 (6.6 MB for a 100,000-listing shop).
    struct KindValues: Sendable {
        /// Value → its id.
        var ids: [Int32] = []
        /// Value v's keys are `firstKey[v]..<firstKey[v + 1]`.
        var firstKey: [Int32] = [0]
        /// Every key's folded bytes, each followed by a 0 (no key holds one).
        var keyBytes: [UInt8] = []
        /// Key → where it starts in `keyBytes`; one more at the end.
        var keyStarts: [Int32] = [0]
        /// Key → its entry in `entryLabels`.
        var keyEntries: [Int32] = []
        /// The distinct labels the facet counts, one per folded key.
        var entryLabels: [String] = []

        func keys(ofValue v: Int) -> Range<Int> { Int(firstKey[v])..<Int(firstKey[v + 1]) }

        mutating func add(id: Int, keys: [String], labels: [String], entryOfKey: inout [String: Int32]) {
            ids.append(Int32(id))
            for (key, label) in zip(keys, labels) {
                keyBytes.append(contentsOf: key.utf8)
                keyBytes.append(0)
                keyStarts.append(Int32(keyBytes.count))
                if let entry = entryOfKey[key] {
                    keyEntries.append(entry)
                } else {
                    let entry = Int32(entryLabels.count)
                    entryOfKey[key] = entry
                    entryLabels.append(label)
                    keyEntries.append(entry)
                }
            }
            firstKey.append(Int32(keyEntries.count))
        }
    }

    let generation: Int64
    private var kinds: [FacetKind: KindValues] = [:]
    /// Indexed by value id: the value's kind (nil: no such id) and its place among that kind's.
    private var kindOfID: [FacetKind?] = []
    private var placeOfID: [Int32] = []
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
        catalog.kindOfID = Array(repeating: nil, count: maxID + 1)
        catalog.placeOfID = Array(repeating: 0, count: maxID + 1)
        var entryOfKey: [FacetKind: [String: Int32]] = [:]
        // Through the C API: a GRDB Row per value cost 2.5 µs, a third of a large shop's start.
        try SQLiteRows.step(db, sql: "SELECT id, kind, key, label FROM facet_values") { handle in
            guard let kind = FacetKind(rawValue: SQLiteRows.text(handle, 1)) else { return }
            let id = Int(sqlite3_column_int64(handle, 0))
            guard id >= 0, id <= maxID else { return }
            let key = SQLiteRows.text(handle, 2), label = SQLiteRows.text(handle, 3)
            var keys = [key], labels = [label]
            if kind.isMultiValued {
                keys = ListText.split(key)
                labels = ListText.split(label)
                if labels.count != keys.count { labels = keys }
            }
            catalog.kindOfID[id] = kind
            catalog.placeOfID[id] = Int32(catalog.kinds[kind]?.ids.count ?? 0)
            // In place (a copy of the kind's arrays per value would be quadratic).
            catalog.kinds[kind, default: KindValues()].add(id: id, keys: keys, labels: labels, entryOfKey: &entryOfKey[kind, default: [:]])
        }
        return catalog
    }

    /// Records the counts over every current listing (the estimates and the unfiltered facets).
    mutating func setUnfiltered(_ tally: FacetTally) {
        counts = tally.counts
        yearCounts = tally.years
        priceBandCounts = tally.priceBands
        currentTotal = tally.rows
        unfilteredFacets = facets(from: tally, limit: nil)
    }

    var idCapacity: Int { kindOfID.count }

    /// Ids of the values of `kind` whose folded text contains one of the folded needles. For
    /// genres, styles and formats a value is a list, and it matches when one of its entries does.
    func resolve(_ kind: FacetKind, needles: [String]) -> [Int64] {
        resolve(kind, folded: needles.map { Array(TextFold.fold($0.trimmed).utf8) })
    }

    /// The same, with needles already folded.
    func resolve(_ kind: FacetKind, folded: [[UInt8]]) -> [Int64] {
        guard let values = kinds[kind] else { return [] }
        if folded.contains(where: \.isEmpty) { return values.ids.map(Int64.init) }
        return values.keyBytes.withUnsafeBytes { bytes in
            values.ids.indices.compactMap { v in
                values.keys(ofValue: v).contains { k in
                    let start = Int(values.keyStarts[k]), end = Int(values.keyStarts[k + 1]) - 1
                    let key = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                    return folded.contains { needle in needle.withUnsafeBytes { ByteSearch.contains(key, $0) } }
                } ? Int64(values.ids[v]) : nil
            }
        }
    }

    /// Turns per-id counts into per-value counts for each kind, splitting genre and style lists
    /// and merging values that fold alike.
    func facets(from tally: FacetTally, limit: Int?) -> Facets {
        if tally.isUnfiltered, let unfilteredFacets, limit == nil { return unfilteredFacets }
        var counts = kinds.mapValues { [Int](repeating: 0, count: $0.entryLabels.count) }
        for (id, count) in tally.counts.enumerated() where count > 0 {
            guard id < kindOfID.count, let kind = kindOfID[id], let values = kinds[kind] else { continue }
            for k in values.keys(ofValue: Int(placeOfID[id])) { counts[kind]?[Int(values.keyEntries[k])] += Int(count) }
        }
        var result = Facets()
        for kind in FacetKind.allCases where kind != .year {
            guard let labels = kinds[kind]?.entryLabels, let kindCounts = counts[kind] else {
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
    static func count(values: [ValueColumn], years: [Int16], prices: PriceColumn, selection: Bitset, capacity: Int) -> FacetTally {
        var tally = FacetTally(counts: Array(repeating: 0, count: capacity))
        // Years are small numbers: an array beats a dictionary in a loop over every listing.
        var byYear = [Int](repeating: 0, count: 4_096)
        let everything = selection.count == years.count
        tally.counts.withUnsafeMutableBufferPointer { counts in
            for column in values { column.count(into: counts, selection: selection, everything: everything) }
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
