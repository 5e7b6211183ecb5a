import GRDB

/// A `ListingQuery` as plain SQL over every listing, removed ones included.
///
/// Current listings are answered from the in-memory `InventoryIndex`; this general form serves
/// the rare queries that include sold and deleted listings (history, `--include-removed`).
struct QueryPlan {
    let query: ListingQuery
    private var conditions: [String] = []
    private var arguments: [DatabaseValue] = []
    /// A filter matched no value at all: the answer is empty without asking SQLite.
    private(set) var isEmpty = false

    init(_ query: ListingQuery, catalog: FacetCatalog) {
        self.query = query
        if !query.includeRemoved { conditions.append("l.removed_at IS NULL") }
        let text = query.text.trimmed
        if !text.isEmpty {
            // Every word a prefix (either full-text index), or the whole text in the title or
            // the artist (their folded keys), as `InventoryService.textMatches`.
            let needle = TextFold.fold(text)
            var any = ["instr(l.artist_key, ?) > 0", "instr(l.title_key, ?) > 0"]
            arguments += [needle.databaseValue, needle.databaseValue]
            if let match = FullTextQuery.match(text) {
                any += ["l.listing_id IN (SELECT rowid FROM listings_fts WHERE listings_fts MATCH ?)",
                        "l.listing_id IN (SELECT rowid FROM removed_fts WHERE removed_fts MATCH ?)"]
                arguments += [match.databaseValue, match.databaseValue]
            }
            conditions.append("(" + any.joined(separator: " OR ") + ")")
        }
        for kind in FacetKind.textFilters {
            let needles = query[values: kind]
            guard !needles.isEmpty else { continue }
            let ids = catalog.resolve(kind, needles: needles)
            guard !ids.isEmpty else {
                isEmpty = true
                return
            }
            conditions.append("l.\(kind.idColumn.name) IN (\(ids.map(String.init).joined(separator: ",")))")
        }
        if query.heldOnly == true { conditions.append("l.listing_id IN (SELECT listing_id FROM holds)") }
        for (column, bound, op) in [(ListingColumn.priceValue, query.minPrice?.databaseValue, ">="),
                                    (.priceValue, query.maxPrice?.databaseValue, "<="),
                                    (.year, query.minYear?.databaseValue, ">="),
                                    (.year, query.maxYear?.databaseValue, "<=")] {
            guard let bound else { continue }
            conditions.append("l.\(column.name) \(op) ?")
            arguments.append(bound)
        }
    }

    private var whereClause: String { conditions.isEmpty ? "1" : conditions.joined(separator: " AND ") }

    var idsSQL: (String, StatementArguments) {
        let direction = query.sort.descending ? "DESC" : "ASC"
        // Ties as the in-memory index breaks them: by first-stored order against the posted
        // order (newest first, ties oldest-stored first), else by listing id with the order.
        let tie = query.sort.field == .posted ? "l.seq \(query.sort.descending ? "ASC" : "DESC")" : "l.listing_id \(direction)"
        // Listings without a value (no bin, no price) come last either way, as in the index.
        let missingLast = query.sort.field == .posted ? "" : "l.\(query.sort.field.column.name) IS NULL, "
        var sql = "SELECT l.listing_id FROM listings l WHERE \(whereClause) ORDER BY \(missingLast)l.\(query.sort.field.column.name) \(direction), \(tie)"
        if let limit = query.limit {
            sql += " LIMIT \(max(0, limit)) OFFSET \(max(0, query.offset))"
        } else if query.offset > 0 {
            sql += " LIMIT -1 OFFSET \(query.offset)"
        }
        return (sql, StatementArguments(arguments))
    }

    var countSQL: (String, StatementArguments) {
        ("SELECT count(*) FROM listings l WHERE \(whereClause)", StatementArguments(arguments))
    }

    var facetSQL: (String, StatementArguments) {
        ("SELECT \(FacetCatalog.countColumns) FROM listings l WHERE \(whereClause)", StatementArguments(arguments))
    }
}
