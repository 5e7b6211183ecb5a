import ArgumentParser
import Foundation
import WaxStore

/// The filter options of `wax search` (`wax serve`'s `/api/search` takes the same, in snake case).
struct QueryOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Free text: every word a prefix, all must match.")
    var query: String?
    @Option(help: "Artist contains (case- and accent-insensitive).") var artist: String?
    @Option(help: "Genre contains.") var genre: String?
    @Option(help: "Style contains.") var style: String?
    @Option(help: "Format contains.") var format: String?
    @Option(help: "Label contains.") var label: String?
    @Option(help: "Media condition contains (e.g. VG+).") var condition: String?
    @Option(name: .customLong("sleeve"), help: "Sleeve condition contains.") var sleeveCondition: String?
    @Option(help: "Location (shelf) contains.") var location: String?
    @Option(help: "Status contains (the mirror holds For Sale listings unless configured otherwise).") var status: String?
    @Option(name: .customLong("min-price"), help: "Lowest price.") var minPrice: Double?
    @Option(name: .customLong("max-price"), help: "Highest price.") var maxPrice: Double?
    @Option(name: .customLong("min-year"), help: "Earliest release year.") var minYear: Int?
    @Option(name: .customLong("max-year"), help: "Latest release year.") var maxYear: Int?
    @Flag(name: .customLong("include-removed"), help: "Include sold and deleted listings.") var includeRemoved = false
    @Flag(help: "Only the records held for customers at the counter.") var held = false
    @Option(help: "FIELD[:asc|desc], FIELD one of \(SortField.allCases.map(\.rawValue).joined(separator: ", ")) (default posted:desc).")
    var sort: String?

    func listingQuery() throws -> ListingQuery {
        var query = ListingQuery(text: self.query ?? "")
        query.artist = artist
        query.genre = genre
        query.style = style
        query.format = format
        query.label = label
        query.condition = condition
        query.sleeveCondition = sleeveCondition
        query.location = location
        query.status = status
        query.heldOnly = held ? true : nil
        query.minPrice = minPrice
        query.maxPrice = maxPrice
        query.minYear = minYear
        query.maxYear = maxYear
        query.includeRemoved = includeRemoved
        if let sort {
            do {
                query.sort = try ListingSort(parsing: sort)
            } catch {
                throw Failure.configuration("\(error)")
            }
        }
        return query
    }
}

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the mirror and print matching listings (a table, JSON or CSV)."
    )

    @OptionGroup var filters: QueryOptions
    @Option(help: "At most this many listings (default 50 for the table, all for --json and --csv).")
    var limit: Int?
    @Flag(help: "Print a JSON array of listing objects (the old API's keys).") var json = false
    @Flag(help: "Print CSV in the old export's 39 columns.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            var query = try filters.listingQuery()
            query.limit = limit ?? (json || csv ? nil : 50)
            let inventory = try context.openInventory()
            if json {
                Console.out(ListingExport.json(try inventory.search(query, withReleases: true)))
            } else if csv {
                Console.out(ListingExport.csv(try inventory.search(query, withReleases: true)))
            } else {
                let page = try inventory.page(query)
                Console.out(ListingText.table(page.listings, total: page.total))
            }
        }
    }
}
