import Foundation
import WaxConfig
import WaxPresentation
import WaxStore
import WaxSync

/// One record to take in, as `wax add` got it (its arguments, or one row of `--csv`): what
/// names the pressing, the grades, the price (a number or Discogs' suggestion) and the place.
struct IntakeRow {
    var input: IntakeInput
    var media: String?
    var sleeve: String?
    /// nil: Discogs' suggestion for the media grade, rounded the shop's way.
    var price: PriceArgument?
    var bin: String = ""
    var comments: String = ""
    var privateComments: String = ""
    var allowOffers = false
    var draft = false
    /// Which candidate (1-based) when the input names several pressings.
    var pick: Int?
    /// Where it came from: "row 4" of a CSV, "" for the arguments.
    var origin: String = ""

    /// What became of the row before anything is queued.
    enum Resolution {
        case ready(NewListing, advice: [String])
        /// Several pressings match: never a guess, every one is listed.
        case ambiguous([ReleaseCandidate], stock: [ReleaseStock])
        case unusable(String)
    }

    /// Finds the pressing, checks the grades and settles the price (asking Discogs for its
    /// suggestion when none was given). Requests are cached per release by `lookup`.
    func resolve(_ lookup: IntakeLookup, inventory: InventoryService, settings: Settings) async throws -> Resolution {
        let found = try await lookup.identify(input)
        guard !found.candidates.isEmpty else { return .unusable(found.note ?? "nothing found") }
        let release: ReleaseCandidate
        if let pick {
            guard found.candidates.indices.contains(pick - 1) else {
                return .unusable("--pick \(pick): there \(found.candidates.count == 1 ? "is 1 pressing" : "are \(found.candidates.count) pressings")")
            }
            release = found.candidates[pick - 1]
        } else if found.candidates.count == 1 {
            release = found.candidates[0]
        } else {
            return .ambiguous(found.candidates, stock: try found.candidates.map { try inventory.intake.stock(ofRelease: $0.id) })
        }
        guard let mediaText = media, !mediaText.isEmpty else { return .unusable("no media grade: give one of \(Self.gradeCodes)") }
        guard let grade = ConditionGrade(mediaText) else { return .unusable("media grade \"\(mediaText)\" is not one of \(Self.gradeCodes)") }
        var sleeveGrade: SleeveGrade?
        if let sleeve, !sleeve.isEmpty {
            guard let parsed = SleeveGrade(sleeve) else {
                return .unusable("sleeve grade \"\(sleeve)\" is not one of \(Self.gradeCodes), gen, n/g, none")
            }
            sleeveGrade = parsed
        }
        let currency = try inventory.intake.shopCurrency()
        let advice = try await lookup.advice(for: release.id, currency: currency)
        let lines = IntakeText.advice(advice, grade: grade, rounding: settings.priceRounding)
        let price: Money
        if let given = self.price {
            price = Money(value: given.value, currency: given.currency ?? currency)
        } else if let suggested = advice.suggested(for: grade, rounding: settings.priceRounding) {
            price = Money(value: suggested.value, currency: suggested.currency ?? currency)
        } else {
            return .unusable("no price given and \(lines[0].prefix(1).lowercased() + lines[0].dropFirst()): give a price")
        }
        let listing = NewListing(release: release, media: grade, sleeve: sleeveGrade, price: price.value, currency: price.currency,
                                 location: bin, comments: comments, privateComments: privateComments, allowOffers: allowOffers,
                                 status: draft ? .draft : .forSale)
        return .ready(listing, advice: lines)
    }

    static let gradeCodes = ConditionGrade.allCases.reversed().map(\.code).joined(separator: ", ")
}

extension IntakeRow {
    /// The columns `wax add --csv` reads; the first that names the record wins.
    enum Column: String, CaseIterable {
        case barcode, releaseID = "release_id", catno, text, media, sleeve, price, bin, comments, `private`

        static let naming: [Column] = [.barcode, .releaseID, .catno, .text]
        /// Header spellings taken for each (a paper list typed up by hand says `location`).
        var spellings: [String] {
            switch self {
            case .releaseID: ["release_id", "release", "release id"]
            case .catno: ["catno", "catalog#", "catalogue number", "catalog number"]
            case .text: ["text", "search", "query"]
            case .bin: ["bin", "location"]
            case .private: ["private", "private_comments", "external_id"]
            case .barcode, .media, .sleeve, .price, .comments: [rawValue]
            }
        }
    }

    /// The rows of a `--csv` file: a header naming the columns, then one record per row. A
    /// row that can't be read is named, with its line, and the others go on.
    static func rows(csv data: Data) throws -> [Result<IntakeRow, CSVReader.RowError>] {
        let parsed = try CSVReader.parse(data).records
        guard case .success(let header)? = parsed.first else { throw Failure.failed("the CSV has no header row") }
        var index: [Column: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces).lowercased()
            if let column = Column.allCases.first(where: { $0.spellings.contains(name) }), index[column] == nil { index[column] = position }
        }
        guard Column.naming.contains(where: { index[$0] != nil }) else {
            throw Failure.failed("the CSV's header names no record: it needs a barcode, release_id, catno or text column (it has \(header.fields.joined(separator: ", ")))")
        }
        return parsed.dropFirst().map { result in
            result.flatMap { record -> Result<IntakeRow, CSVReader.RowError> in
                func field(_ column: Column) -> String {
                    guard let position = index[column], record.fields.indices.contains(position) else { return "" }
                    return record.fields[position].trimmingCharacters(in: .whitespaces)
                }
                guard let named = Column.naming.lazy.map(field).first(where: { !$0.isEmpty }) else {
                    return .failure(.init(line: record.line, reason: "no barcode, release, catalogue number or text"))
                }
                let input: IntakeInput?
                if index[.releaseID] != nil, !field(.releaseID).isEmpty {
                    input = IntakeInput("r" + field(.releaseID).filter(\.isNumber))
                } else if index[.catno] != nil, !field(.catno).isEmpty, field(.barcode).isEmpty {
                    input = .catalogNumber(field(.catno))
                } else {
                    input = IntakeInput(named)
                }
                guard let input else { return .failure(.init(line: record.line, reason: "\"\(named)\" names no record")) }
                var row = IntakeRow(input: input, media: field(.media), sleeve: field(.sleeve))
                let price = field(.price)
                if !price.isEmpty, price.lowercased() != "suggested" {
                    guard let parsed = PriceArgument(argument: price), parsed.value > 0 else {
                        return .failure(.init(line: record.line, reason: "price \"\(price)\" is not a positive number or `suggested`"))
                    }
                    row.price = parsed
                }
                row.bin = field(.bin)
                row.comments = field(.comments)
                row.privateComments = field(.private)
                row.origin = "line \(record.line)"
                return .success(row)
            }
        }
    }
}
