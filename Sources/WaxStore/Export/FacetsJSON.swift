import WaxJSON

/// `wax serve`'s `/api/facets`: the filter pane's counts for a query.
public enum FacetsJSON {
    /// The filter pane's counts: kind → [{value, count}], most frequent first.
    public static func object(_ facets: Facets, total: Int) -> JSONValue {
        var byKind: [String: JSONValue] = [:]
        for kind in FacetKind.allCases {
            byKind[kind.rawValue] = .array(facets[kind].map { .object(["value": .string($0.value), "count": .int(Int64($0.count))]) })
        }
        return .object(["total": .int(Int64(total)), "facets": .object(byKind)])
    }
}
