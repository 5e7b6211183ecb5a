import ArgumentParser
import WaxStore

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one listing, every field.")

    @Argument(help: "The Discogs listing id.") var listingID: Int64
    @Flag(help: "Print the listing as a JSON object.") var json = false

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            guard let listing = try context.openInventory().listing(id: listingID) else {
                throw Failure.configuration("no listing \(listingID) in the mirror")
            }
            Console.out(json ? ListingJSON.object(listing).prettyText + "\n" : ListingText.detail(listing))
        }
    }
}
