import ArgumentParser
import Foundation
import WaxStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every current listing as CSV (the old export's columns, re-importable) or JSON."
    )

    enum Format: String, ExpressibleByArgument { case csv, json }

    @Option(help: "csv or json.") var format: Format = .csv
    @Option(name: [.short, .long], help: "Write to this file instead of standard output.") var output: String?

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            let listings = try context.openInventory().allListings()
            let text = format == .csv ? ListingExport.csv(listings) : ListingExport.json(listings)
            if let output {
                let url = URL(fileURLWithPath: output)
                do {
                    // Written beside and renamed, so a full disk never leaves half a file behind.
                    try Data(text.utf8).write(to: url, options: .atomic)
                } catch {
                    throw Failure.failed("cannot write \(url.path): \((error as NSError).localizedDescription)")
                }
                Console.note("wrote \(listings.count) listings to \(url.path)")
            } else {
                Console.out(text)
            }
        }
    }
}
