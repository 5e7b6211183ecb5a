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
    @Flag(help: "With --clear-db: go ahead even when the file has fewer than half the mirror's listings.") var yes = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
        if path == nil && csvFile == nil { throw ValidationError("give the CSV file: wax import PATH") }
        if path != nil && csvFile != nil && path != csvFile { throw ValidationError("give one CSV file, not two") }
    }

    /// A regular file, or one line naming what it is instead (a FIFO read as "permission
    /// denied", a symlink loop as "NSCocoaErrorDomain error 256").
    static func checkReadable(_ file: URL) throws {
        var info = stat()
        guard stat(file.path, &info) == 0 else {
            throw Failure.failed("cannot read \(file.path): \(String(cString: strerror(errno)))")
        }
        let kind: String? = switch info.st_mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
        if let kind { throw Failure.failed("\(file.path) is \(kind), not a CSV file") }
    }

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            let file = URL(fileURLWithPath: path ?? csvFile!)
            try Self.checkReadable(file)
            let data: Data
            do {
                // Mapped, not copied: a large file costs its pages, not twice its size.
                data = try Data(contentsOf: file, options: .mappedIfSafe)
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
            let inventory = try context.openInventory(fillsAlone: true)
            if clearDB, !yes {
                let current = try inventory.count(ListingQuery())
                if parsed.records.count * 2 < current {
                    throw Failure.configuration("--clear-db would leave \(parsed.records.count) of the mirror's \(current) listings (\(file.lastPathComponent) has \(parsed.records.count) rows): add --yes if that is what you mean")
                }
            }
            let outcome = try inventory.importer.importListings(parsed.records, releases: parsed.releases, clearFirst: clearDB)
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
