import GRDB

/// How one `ListingQuery` runs in SQL.
///
/// SQLite alone picks badly between "find the few matching rows, then sort them" and "walk the
/// sort order, keep rows that match, stop after a page": both can be 100× slower than the other.
/// We know better (the facet catalog counts every value, FTS5 counts matches), so the plan is
/// chosen here: the most selective condition drives when fetching its rows is cheaper than
/// walking an index in sort order until the window is full. Every other condition is a residual test (`+column`
/// keeps SQLite from using an index for it).
struct QueryPlan {
    struct Condition {
        var driver: String
        var residual: String
        var arguments: [DatabaseValue]
        /// Rows this condition alone selects, when known.
        var estimate: Int?
        /// The index to force when this condition drives.
        var index: String?
    }

    let query: ListingQuery
    var conditions: [Condition] = []
    /// A filter matched no value at all: the answer is empty without asking SQLite.
    var isEmpty = false
    /// The row count, when the catalog or FTS5 already knows it.
    var knownCount: Int?

    init(_ query: ListingQuery, catalog: FacetCatalog, fullTextCount: (String) throws -> Int) rethrows {
        self.query = query
        if let match = FullTextQuery.match(query.text) {
            let current = "l.listing_id IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)"
            if query.includeRemoved {
                let removed = "l.listing_id IN (SELECT rowid FROM removed_fts WHERE removed_fts MATCH ?)"
                conditions.append(Condition(driver: "(\(current) OR \(removed))", residual: "(+\(current) OR +\(removed))",
                                            arguments: [match.databaseValue, match.databaseValue], estimate: nil))
            } else {
                conditions.append(Condition(driver: current, residual: "+" + current, arguments: [match.databaseValue],
                                            estimate: try fullTextCount(match)))
            }
        }
        for kind in FacetKind.textFilters {
            guard let needle = query[filter: kind], !needle.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let ids = catalog.resolve(kind, needle: needle)
            guard !ids.isEmpty else {
                isEmpty = true
                return
            }
            let column = "l.\(kind.idColumn)"
            let list = ids.map(String.init).joined(separator: ",")
            var residual = "+\(column) IN (\(list))"
            // Thousands of matching artists: test the few that don't match instead.
            let all = catalog.valueCount(kind)
            if ids.count > 64, ids.count * 2 > all {
                let matching = Set(ids)
                let others = catalog.resolve(kind, needle: "").filter { !matching.contains($0) }
                residual = "(+\(column) IS NOT NULL AND +\(column) NOT IN (\(others.map(String.init).joined(separator: ","))))"
            }
            conditions.append(Condition(driver: "\(column) IN (\(list))", residual: residual, arguments: [],
                                        estimate: query.includeRemoved ? nil : catalog.listingCount(of: ids),
                                        index: "l_\(kind.idColumn)"))
        }
        for (column, bound, op) in [("price_value", query.minPrice?.databaseValue, ">="),
                                    ("price_value", query.maxPrice?.databaseValue, "<="),
                                    ("year", query.minYear?.databaseValue, ">="),
                                    ("year", query.maxYear?.databaseValue, "<=")] {
            guard let bound else { continue }
            conditions.append(Condition(driver: "l.\(column) \(op) ?", residual: "+l.\(column) \(op) ?", arguments: [bound], estimate: nil))
        }

        total = query.includeRemoved ? catalog.currentTotal + catalog.removedTotal : catalog.currentTotal
        if conditions.isEmpty {
            knownCount = total
        } else if conditions.count == 1, !query.includeRemoved {
            knownCount = conditions[0].estimate
        }
        let window = query.limit.map { $0 + query.offset }
        windowDriver = chooseDriver(window: window, sortIsCovering: query.sort.field == .posted)
        wholeDriver = chooseDriver(window: nil, sortIsCovering: true)
    }

    var total = 0
    /// The driving condition for a window of results, and for whole-result work (counts, facets).
    private(set) var windowDriver: Int?
    private(set) var wholeDriver: Int?

    /// Relative cost of fetching one row by key (and sorting it) against reading the next
    /// entry of an index walk. Measured on 100,000 listings: about 8.
    static let lookupCost = 8

    /// Drive from the most selective condition when fetching its rows costs less than walking
    /// the index until the window is full (or, for whole results, walking the covering index).
    private func chooseDriver(window: Int?, sortIsCovering: Bool) -> Int? {
        guard !query.includeRemoved,
              let best = conditions.indices.filter({ conditions[$0].estimate != nil })
                .min(by: { conditions[$0].estimate! < conditions[$1].estimate! }),
              let estimate = conditions[best].estimate else { return nil }
        let driverCost = estimate * Self.lookupCost
        let rowsWalked: Int
        if let window {
            rowsWalked = estimate == 0 ? total : min(total, window * total / estimate)
        } else {
            rowsWalked = total
        }
        let walkCost = rowsWalked * (sortIsCovering ? 1 : Self.lookupCost)
        return driverCost <= walkCost ? best : nil
    }

    private var removedClause: String? { query.includeRemoved ? nil : "l.removed_at IS NULL" }

    private func whereClause(driver driverIndex: Int?) -> (String, StatementArguments) {
        var parts: [String] = removedClause.map { [$0] } ?? []
        var arguments: [DatabaseValue] = []
        for (index, condition) in conditions.enumerated() {
            parts.append(index == driverIndex ? condition.driver : condition.residual)
            arguments += condition.arguments
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), StatementArguments(arguments))
    }

    /// The index hint: the driver's index, the sort's index when walking in order, or (for counts
    /// and facets) the covering index.
    private func hint(driver driverIndex: Int?, sort: ListingSort?) -> String {
        guard !query.includeRemoved else { return "" }
        if let driverIndex {
            if let index = conditions[driverIndex].index { return "INDEXED BY \(index)" }
            return "NOT INDEXED"   // a full-text driver: rowid lookups only
        }
        guard let sort else { return "INDEXED BY l_scan" }
        return "INDEXED BY \(Self.sortIndex[sort.field]!)"
    }

    static let sortIndex: [SortField: String] = [
        .posted: "l_scan", .price: "l_price", .artist: "l_artist_key", .title: "l_title_key",
        .year: "l_year", .condition: "l_condition", .location: "l_location_key",
    ]
    static let sortColumn: [SortField: String] = [
        .posted: "l.posted_at", .price: "l.price_value", .artist: "l.artist_key", .title: "l.title_key",
        .year: "l.year", .condition: "l.condition_rank", .location: "l.location_key",
    ]

    private var orderBy: String {
        let direction = query.sort.descending ? "DESC" : "ASC"
        return "\(Self.sortColumn[query.sort.field]!) \(direction), l.listing_id \(direction)"
    }

    /// The ids of one window of the result, in order.
    var idsSQL: (String, StatementArguments) {
        let (conditionSQL, arguments) = whereClause(driver: windowDriver)
        var sql = "SELECT l.listing_id FROM listings l \(hint(driver: windowDriver, sort: query.sort)) WHERE \(conditionSQL) ORDER BY \(orderBy)"
        if let limit = query.limit {
            sql += " LIMIT \(max(0, limit)) OFFSET \(max(0, query.offset))"
        } else if query.offset > 0 {
            sql += " LIMIT -1 OFFSET \(query.offset)"
        }
        return (sql, arguments)
    }

    var countSQL: (String, StatementArguments) {
        let (conditionSQL, arguments) = whereClause(driver: wholeDriver)
        return ("SELECT count(*) FROM listings l \(hint(driver: wholeDriver, sort: nil)) WHERE \(conditionSQL)", arguments)
    }

    var facetSQL: (String, StatementArguments) {
        let (conditionSQL, arguments) = whereClause(driver: wholeDriver)
        return ("SELECT \(FacetCatalog.countColumns) FROM listings l \(hint(driver: wholeDriver, sort: nil)) WHERE \(conditionSQL)", arguments)
    }
}
