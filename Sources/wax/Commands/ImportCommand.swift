import WaxJSON
import ArgumentParser
import Foundation
import WaxStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV: the old app's 39-column export or a Discogs inventory export.",
        discussion: """
        Rows are upserted by listing_id in one transaction. A bad row is reported with its line \
        number and skipped; the others are imported. The summary counts total_rows, imported \
        (new), updated (changed), skipped (already identical) and errors (bad rows). Exit 1 when \
        any row had an error.
        """
    )

    @Argument(help: "The CSV file.") var path: String?
    @Option(name: .customLong("csv-file"), help: "The CSV file (the old import script's spelling).") var csvFile: String?
    @Flag(name: .customLong("clear-db"), help: "Delete every listing first, in the same transaction.") var clearDB = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        if path == nil && csvFile == nil { throw ValidationError("give the CSV file: wax import PATH") }
        if path != nil && csvFile != nil && path != csvFile { throw ValidationError("give one CSV file, not two") }
    }

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            let file = URL(fileURLWithPath: path ?? csvFile!)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw Failure.failed("\(file.path) is a directory, not a CSV file")
            }
            let data: Data
            do {
                data = try Data(contentsOf: file)
            } catch {
                throw Failure.failed("cannot read \(file.path): \(FileErrorText.describe(error))")
            }
            let parsed: CSVImport.Parsed
            do {
                parsed = try CSVImport.parse(data)
            } catch {
                throw Failure.failed("\(file.path): \(error)")
            }
            for error in parsed.errors { Console.error("\(file.lastPathComponent): \(error)") }
            if parsed.encoding == .latin1 { Console.warn("\(file.lastPathComponent) is not UTF-8: read as Latin-1") }
            if clearDB && parsed.records.isEmpty {
                throw Failure.failed("\(file.lastPathComponent) has no row to import (\(parsed.totalRows) read, \(parsed.errors.count) bad): the mirror was not cleared")
            }
            let inventory = try context.openInventory()
            let outcome = try inventory.importListings(parsed.records, releases: parsed.releases, clearFirst: clearDB)
            context.logger.info("imported \(file.path): \(parsed.format.rawValue), \(outcome)")
            let summary: [(String, Int)] = [
                ("total_rows", parsed.totalRows), ("imported", outcome.imported), ("updated", outcome.updated),
                ("skipped", outcome.unchanged), ("errors", parsed.errors.count),
            ]
            if json {
                Console.out(JSONValue.object(Dictionary(uniqueKeysWithValues: summary.map { ($0.0, .int(Int64($0.1))) })).prettyText + "\n")
            } else {
                Console.out("\(parsed.format.rawValue)\(clearDB ? ", cleared \(outcome.cleared) listings first" : "")\n")
                for (key, value) in summary { Console.out("\(key.padding(toLength: 11, withPad: " ", startingAt: 0)) \(value)\n") }
            }
            if !parsed.errors.isEmpty { throw ExitStatus.failure.code }
        }
    }
}
