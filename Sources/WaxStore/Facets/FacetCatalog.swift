import GRDB

/// Every filter value with the number of current listings holding it, as of one generation of
/// the mirror. Built once per generation (one pass over the covering index) and shared by all
/// queries until the mirror changes: it resolves text filters to value ids, estimates how many
/// rows a filter selects (to plan the query) and answers facets for the unfiltered inventory.
struct FacetCatalog: Sendable {
    struct Value: Sendable {
        let id: Int64
        let key: String
        let label: String
    }

    let generation: Int64
    private(set) var values: [FacetKind: [Value]] = [:]
    private(set) var counts: [Int64: Int] = [:]
    private(set) var yearCounts: [Int: Int] = [:]
    private(set) var currentTotal = 0
    private(set) var removedTotal = 0

    /// The fid columns in the order `FacetCatalog.countColumns` selects them.
    static let countedKinds: [FacetKind] = [.artist, .label, .format, .genre, .style, .location, .condition, .sleeveCondition, .status]
    static var countColumns: String { (countedKinds.map { "l.\($0.idColumn)" } + ["l.year"]).joined(separator: ", ") }

    static func load(_ db: Database, generation: Int64) throws -> FacetCatalog {
        var catalog = FacetCatalog(generation: generation)
        let rows = try Row.fetchCursor(db, sql: "SELECT id, kind, key, label FROM facet_values")
        while let row = try rows.next() {
            guard let kind = FacetKind(rawValue: row[1]) else { continue }
            catalog.values[kind, default: []].append(Value(id: row[0], key: row[2], label: row[3]))
        }
        let tally = try FacetTally.count(db, sql: "SELECT \(countColumns) FROM listings l INDEXED BY l_scan WHERE l.removed_at IS NULL", arguments: [])
        catalog.counts = tally.counts
        catalog.yearCounts = tally.years
        catalog.currentTotal = tally.rows
        catalog.removedTotal = try Int.fetchOne(db, sql: "SELECT count(*) FROM listings WHERE removed_at IS NOT NULL") ?? 0
        return catalog
    }

    /// Ids of the values of `kind` whose folded text contains the folded needle. For genres and
    /// styles a value is a release's list, and it matches when one of its entries does.
    func resolve(_ kind: FacetKind, needle: String) -> [Int64] {
        let folded = TextFold.fold(needle.trimmingCharacters(in: .whitespaces))
        guard !folded.isEmpty else { return values[kind, default: []].map(\.id) }
        return values[kind, default: []].compactMap { value in
            if kind.isMultiValued {
                return value.key.components(separatedBy: ListText.separator).contains { $0.contains(folded) } ? value.id : nil
            }
            return value.key.contains(folded) ? value.id : nil
        }
    }

    func listingCount(of ids: [Int64]) -> Int {
        ids.reduce(0) { $0 + (counts[$1] ?? 0) }
    }

    func valueCount(_ kind: FacetKind) -> Int { values[kind]?.count ?? 0 }

    /// Turns per-id counts into per-value counts for each kind, splitting genre and style lists.
    func facets(from tally: FacetTally, limit: Int?) -> Facets {
        var labels: [Int64: (FacetKind, String)] = [:]
        for (kind, list) in values {
            for value in list { labels[value.id] = (kind, value.label) }
        }
        var merged: [FacetKind: [String: (label: String, count: Int)]] = [:]
        for (id, count) in tally.counts where count > 0 {
            guard let (kind, label) = labels[id] else { continue }
            let parts = kind.isMultiValued ? ListText.split(label) : [label]
            for part in parts {
                let key = TextFold.fold(part)
                merged[kind, default: [:]][key, default: (part, 0)].count += count
            }
        }
        var result = Facets()
        for kind in FacetKind.allCases where kind != .year {
            let entries = (merged[kind] ?? [:]).values.map { FacetValue(value: $0.label, count: $0.count) }
            result[kind] = Facets.top(entries, limit: limit)
        }
        result[.year] = Facets.top(tally.years.map { FacetValue(value: String($0.key), count: $0.value) }, limit: limit)
        return result
    }

    var unfilteredTally: FacetTally {
        FacetTally(counts: counts, years: yearCounts, rows: currentTotal)
    }
}

/// Counts of value ids over some set of listings.
struct FacetTally {
    var counts: [Int64: Int] = [:]
    var years: [Int: Int] = [:]
    var rows = 0

    /// Runs `sql` (which selects `FacetCatalog.countColumns`) and counts every id it returns.
    static func count(_ db: Database, sql: String, arguments: StatementArguments) throws -> FacetTally {
        var tally = FacetTally()
        let columnCount = FacetCatalog.countedKinds.count
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            tally.rows += 1
            for index in 0..<columnCount {
                if let id: Int64 = row[index] { tally.counts[id, default: 0] += 1 }
            }
            if let year: Int = row[columnCount] { tally.years[year, default: 0] += 1 }
        }
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
}
