import WaxStore

/// What `/api/search`, `/api/facets` and `/api/data` ask for, as the same `ListingQuery` the
/// browser and `wax search` build: the old parameters (`q`, `artist`, `genre`, `format`) plus
/// the browser's other filters, ranges, `sort`, and `page`/`per_page`.
struct ListingRequest: Sendable, Equatable {
    static let maxPerPage = 1_000

    var query: ListingQuery
    /// Whether the answer is one page (`page` or `per_page` given) rather than everything.
    var paged: Bool

    /// Filters and sort, as `wax search` takes them; parameter names are the options' names
    /// in snake case (`min_price`, `sleeve_condition`, `include_removed`).
    static func search(_ parameters: APIParameters) throws -> ListingRequest {
        var query = ListingQuery(text: try parameters.text("q") ?? "")
        for kind in FacetKind.textFilters {
            query[filter: kind] = try parameters.text(kind.rawValue)
        }
        query.minPrice = try parameters.number("min_price")
        query.maxPrice = try parameters.number("max_price")
        query.minYear = try parameters.integer("min_year", in: 0...9_999)
        query.maxYear = try parameters.integer("max_year", in: 0...9_999)
        query.includeRemoved = try parameters.flag("include_removed") ?? false
        if let sort = try parameters.text("sort") {
            do {
                query.sort = try ListingSort(parsing: sort)
            } catch {
                throw APIError.badRequest("\(error)")
            }
        }
        return try paging(query, parameters)
    }

    /// Every current listing, newest posted first; only paging applies.
    static func everything(_ parameters: APIParameters) throws -> ListingRequest {
        try paging(ListingQuery(), parameters)
    }

    private static func paging(_ query: ListingQuery, _ parameters: APIParameters) throws -> ListingRequest {
        var query = query
        let page = try parameters.integer("page", in: 1...10_000_000)
        // Larger pages are served at the cap rather than refused, as the old API documented.
        let perPage = try parameters.integer("per_page", in: 1...Int.max).map { min($0, maxPerPage) }
        // Paged only when `per_page` says how big a page is: the old app ignored `page` alone
        // and answered everything, and scripts written against it expect that.
        guard let size = perPage else { return ListingRequest(query: query, paged: false) }
        query.limit = size
        query.offset = ((page ?? 1) - 1) * size
        return ListingRequest(query: query, paged: true)
    }
}
