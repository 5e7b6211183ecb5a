import ArgumentParser
import Foundation
import WaxConfig
import WaxJSON
import WaxPresentation
import WaxStore
import WaxSync

/// `wax add`: takes a record in (or a stack of them from a CSV): finds the pressing, grades and
/// prices it, and lists it on Discogs through the outbox.
struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Take a record in: find the pressing by barcode, catalogue number, release or words, and list it on Discogs.",
        discussion: """
        Without --price, Discogs' price suggestion for the media grade is taken, rounded by WAX_PRICE_ROUNDING. \
        When several pressings match, they are listed and nothing is guessed: choose with --pick N or give the release (r123). \
        With --csv, every row of the file is one record (columns barcode|release_id|catno|text, media, sleeve, price, bin, comments, private; \
        price may say `suggested`); --dry-run shows what each row resolved to without listing anything. \
        A sticker is queued for every listing Discogs confirms: `wax labels` prints them.
        """
    )
    @Argument(help: "A barcode, a catalogue number, a release (r123 or its URL) or words.") var record: String?
    @Option(help: "The media grade: M, NM, VG+, VG, G+, G, F, P.") var media: String?
    @Option(help: "The sleeve grade: a media grade, gen (generic), n/g (not graded) or none.") var sleeve: String?
    @Option(help: "The price (12.50, or 12.50 EUR); default Discogs' suggestion.") var price: PriceArgument?
    @Option(help: "The bin (the listing's location).") var bin = ""
    @Option(help: "Comments buyers read.") var comments = ""
    @Option(name: .customLong("private"), help: "Private comments (only the seller reads them).") var privateComments = ""
    @Flag(help: "Allow buyers to make offers.") var offers = false
    @Flag(help: "List it as a Draft (not for sale yet).") var draft = false
    @Option(help: "Which of several matching pressings (1 is the first listed).") var pick: Int?
    @Option(help: "Take every row of this CSV file in.") var csv: String?
    @Flag(help: "Show what would be listed; list nothing.") var dryRun = false
    @OptionGroup var options: CounterOptions

    func validate() throws {
        if (record == nil) == (csv == nil) { throw ValidationError("give either a record (barcode, catalogue number, r123, words) or --csv FILE") }
        if let price, price.value <= 0 { throw ValidationError("--price must be a positive number") }
    }

    func run() async throws {
        try await Failure.reporting {
            let counter = try Counter.open(options)
            guard let client = counter.client else {
                throw Failure.configuration("taking stock in searches Discogs' database, which needs the seller's DISCOGS_TOKEN in this wax")
            }
            let lookup = IntakeLookup(inventory: counter.inventory, client: client)
            let rows = try self.rows()
            var tally = IntakeTally()
            var queued: [(origin: String, action: CounterAction)] = []
            for result in rows {
                let row: IntakeRow
                switch result {
                case .success(let parsed): row = parsed
                case .failure(let error):
                    Console.error("\(error): skipped")
                    tally.skipped += 1
                    continue
                }
                let prefix = row.origin.isEmpty ? "" : "\(row.origin): "
                switch try await resolve(row, lookup, counter) {
                case .unusable(let reason):
                    Console.error("\(prefix)\(reason): skipped")
                    tally.skipped += 1
                case .ambiguous(let candidates, let stock):
                    var text = "\(prefix)\(candidates.count) pressings match \(row.input.description); choose one with --pick N or give its release (r…):\n"
                    for (number, (candidate, held)) in zip(candidates, stock).enumerated() {
                        text += "  \(number + 1). r\(candidate.id)  \(IntakeText.candidate(candidate))  (\(IntakeText.stock(held)))\n"
                    }
                    Console.error(String(text.dropLast()))
                    tally.skipped += 1
                case .ready(let listing, let advice):
                    let what = "r\(listing.release.id) \(IntakeText.candidate(listing.release)), \(listing.media.code)\(listing.sleeve.map { "/\($0.code)" } ?? ""), \(Money.format(listing.price, currency: listing.currency))\(listing.location.isEmpty ? "" : ", bin \(listing.location)")"
                    if dryRun {
                        Console.out("\(prefix)would list \(what)\n    \(advice.joined(separator: "; "))\n")
                        tally.planned += 1
                        continue
                    }
                    do {
                        let action = try counter.inventory.intake.enqueue(listing, user: counter.user, priceLimit: counter.context.settings.maxPrice)
                        queued.append((row.origin, action))
                    } catch let refusal as ActionRefusal {
                        Console.error("\(prefix)\(refusal.description): skipped")
                        tally.skipped += 1
                    }
                }
            }
            if dryRun {
                Console.out("\(tally.planned) would be listed, \(tally.skipped) skipped (nothing was sent)\n")
                if tally.skipped > 0 { throw ExitStatus.failure.code }
                return
            }
            let settled = try await counter.settleAll(queued.map(\.action), options)
            for ((origin, _), action) in zip(queued, settled) {
                if queued.count > 1 || !origin.isEmpty { Console.out("\(origin): ") }
                counter.report(action, options)
                tally.count(action.state)
            }
            Console.out("\(lookup.requests) request\(lookup.requests == 1 ? "" : "s") to Discogs to identify and price\n")
            if rows.count > 1 || tally.skipped > 0 { Console.out(tally.summary + "\n") }
            if tally.failed > 0 || tally.skipped > 0 { throw ExitStatus.failure.code }
            if tally.waiting > 0 { throw ExitStatus.queued.code }
        }
    }

    private func rows() throws -> [Result<IntakeRow, CSVReader.RowError>] {
        if let csv {
            let url = URL(fileURLWithPath: csv)
            guard let data = FileManager.default.contents(atPath: url.path) else { throw Failure.failed("can't read \(csv)") }
            return try IntakeRow.rows(csv: data)
        }
        guard let record, let input = IntakeInput(record) else { throw Failure.configuration("name a record: a barcode, a catalogue number, r123 or words") }
        return [.success(IntakeRow(input: input, media: media, sleeve: sleeve, price: price, bin: bin, comments: comments,
                                   privateComments: privateComments, allowOffers: offers, draft: draft, pick: pick))]
    }

    private func resolve(_ row: IntakeRow, _ lookup: IntakeLookup, _ counter: Counter) async throws -> IntakeRow.Resolution {
        do {
            return try await row.resolve(lookup, inventory: counter.inventory, settings: counter.context.settings)
        } catch let error as DiscogsError {
            throw Failure.failed("Discogs: \(error)")
        }
    }
}

/// How a stack of records ended: "12 listed, 2 waiting, 1 failed, 3 skipped".
struct IntakeTally {
    var listed = 0, waiting = 0, failed = 0, skipped = 0, planned = 0

    mutating func count(_ state: ActionState) {
        switch state {
        case .confirmed: listed += 1
        case .queued, .sending, .sent: waiting += 1
        case .conflict, .failed, .cancelled: failed += 1
        }
    }

    var summary: String { "\(listed) listed, \(waiting) waiting, \(failed) failed, \(skipped) skipped" }
}
