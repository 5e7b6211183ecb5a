import Foundation
import Synchronization
import WaxConfig
import WaxStore

/// How staff named a record at intake, read from what they scanned or typed.
public enum IntakeInput: Sendable, Hashable, CustomStringConvertible {
    /// 8, 12 or 13 digits (EAN-8, UPC-A, EAN-13): a barcode.
    case barcode(String)
    /// A Discogs release: `r1234`, `[r1234]`, a release URL, or digits that are no barcode.
    case release(Int64)
    /// Letters and digits without spaces (`SHL 32019`, `ABC-123`): a catalogue number first.
    case catalogNumber(String)
    case text(String)

    public init?(_ typed: String) {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        let lowered = text.lowercased()
        if let range = lowered.range(of: "/release/") {
            let digits = lowered[range.upperBound...].prefix { $0.isNumber }
            if let id = Int64(digits), id > 0 { self = .release(id); return }
        }
        let bare = lowered.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare.hasPrefix("r"), let id = Int64(bare.dropFirst()), id > 0 { self = .release(id); return }
        let digits = text.filter(\.isNumber)
        if text.allSatisfy({ $0.isNumber || $0 == " " || $0 == "-" }) {
            if [8, 12, 13].contains(digits.count) { self = .barcode(digits); return }
            if let id = Int64(digits), id > 0, digits.count <= 9 { self = .release(id); return }
        }
        if !text.contains(" ") || (text.split(separator: " ").count == 2 && !digits.isEmpty && text.count <= 16) {
            if !digits.isEmpty && text.contains(where: \.isLetter) { self = .catalogNumber(text); return }
        }
        self = .text(text)
    }

    /// "barcode 5012345678900", "release r1234", "catalogue number SHL 32019", "\"words\"".
    public var description: String {
        switch self {
        case .barcode(let digits): "barcode \(digits)"
        case .release(let id): "release r\(id)"
        case .catalogNumber(let catno): "catalogue number \(catno)"
        case .text(let text): "\"\(text)\""
        }
    }
}

/// What Discogs found for an intake input.
public struct Identification: Sendable, Equatable {
    public var input: IntakeInput
    public var candidates: [ReleaseCandidate]
    /// How the search went when it was not the obvious way ("no release has barcode …: these
    /// are what a text search finds").
    public var note: String?
}

/// Identifies and prices records for intake against Discogs, on the process's client (and so
/// its rate limiter: staff priority, as a staff action). Each release is asked about once per
/// lookup (an intake session): the same pressing twice costs no request more.
public final class IntakeLookup: Sendable {
    let inventory: InventoryService
    public let client: DiscogsClient
    private let searches = Mutex<[IntakeInput: [ReleaseCandidate]]>([:])
    private let releases = Mutex<[Int64: ReleaseRecord]>([:])
    private let suggestions = Mutex<[Int64: PriceSuggestions]>([:])
    private let markets = Mutex<[Int64: MarketStats]>([:])
    private let requestCount = Atomic<Int>(0)

    public init(inventory: InventoryService, client: DiscogsClient) {
        self.inventory = inventory
        self.client = client
    }

    /// Requests this lookup sent to Discogs.
    public var requests: Int { requestCount.load(ordering: .relaxed) }

    /// The candidates for `input`: a barcode compared as digits (and, when `barcode=` finds
    /// nothing, a text search for the digits); a catalogue number, then text; a release id read
    /// directly. Never a guess: every candidate is listed.
    public func identify(_ input: IntakeInput) async throws -> Identification {
        try await DiscogsClient.$priority.withValue(.staff) {
            switch input {
            case .release(let id):
                guard let release = try await details(of: id) else { return Identification(input: input, candidates: [], note: "Discogs has no release \(id)") }
                return Identification(input: input, candidates: [Self.candidate(release)], note: nil)
            case .barcode(let digits):
                let exact = try await search(.barcode(digits), as: input).filter { $0.barcodes.isEmpty || $0.barcodes.contains(digits) }
                if !exact.isEmpty { return Identification(input: input, candidates: exact, note: nil) }
                let text = try await search(.text(digits), as: .text(digits))
                return Identification(input: input, candidates: text,
                                      note: text.isEmpty ? "no release has barcode \(digits): try the catalogue number or the title"
                                          : "no release has barcode \(digits) on record: these are what a search for the digits finds")
            case .catalogNumber(let catno):
                let found = try await search(.catalogNumber(catno), as: input)
                if !found.isEmpty { return Identification(input: input, candidates: found, note: nil) }
                let text = try await search(.text(catno), as: .text(catno))
                return Identification(input: input, candidates: text, note: text.isEmpty ? "nothing found for \(catno)" : nil)
            case .text(let text):
                let found = try await search(.text(text), as: input)
                return Identification(input: input, candidates: found, note: found.isEmpty ? "nothing found for \"\(text)\"" : nil)
            }
        }
    }

    private func search(_ query: DiscogsClient.ReleaseQuery, as key: IntakeInput) async throws -> [ReleaseCandidate] {
        if let cached = searches.withLock({ $0[key] }) { return cached }
        requestCount.add(1, ordering: .relaxed)
        let found = try await client.searchReleases(query)
        searches.withLock { $0[key] = found }
        return found
    }

    /// The release's details (formats, identifiers, tracklist), kept in the mirror too (the
    /// sync then needs not fetch them).
    public func details(of releaseID: Int64) async throws -> ReleaseRecord? {
        if let cached = releases.withLock({ $0[releaseID] }) { return cached }
        requestCount.add(1, ordering: .relaxed)
        guard let release = try await DiscogsClient.$priority.withValue(.staff, operation: { try await client.release(id: releaseID) }) else { return nil }
        releases.withLock { $0[releaseID] = release }
        try? inventory.syncStore.storeReleases([release])
        return release
    }

    /// What to price `releaseID` by. Discogs' two answers are asked once per release.
    public func advice(for releaseID: Int64, currency: String?) async throws -> PriceAdvice {
        try await DiscogsClient.$priority.withValue(.staff) {
            let suggestions: PriceSuggestions
            if let cached = self.suggestions.withLock({ $0[releaseID] }) {
                suggestions = cached
            } else {
                requestCount.add(1, ordering: .relaxed)
                suggestions = try await client.priceSuggestions(releaseID: releaseID)
                self.suggestions.withLock { $0[releaseID] = suggestions }
            }
            var market = markets.withLock { $0[releaseID] }
            if market == nil {
                requestCount.add(1, ordering: .relaxed)
                market = try await client.marketStats(releaseID: releaseID, currency: currency)
                markets.withLock { $0[releaseID] = market }
            }
            return PriceAdvice(suggestions: suggestions, market: market, lastSale: try inventory.intake.lastSale(ofRelease: releaseID),
                               stock: try inventory.intake.stock(ofRelease: releaseID))
        }
    }

    static func candidate(_ release: ReleaseRecord) -> ReleaseCandidate {
        ReleaseCandidate(id: release.releaseID, artist: release.artists.joined(separator: " & "), title: release.title ?? "",
                         labels: release.labels.map(\.name), catalogNumber: release.labels.first?.catalogNumber,
                         formats: release.formats.flatMap { [$0.name] + $0.descriptions },
                         formatQuantity: release.formats.first.flatMap { $0.quantity.flatMap(Int.init) },
                         country: release.country, year: release.year, barcodes: release.barcodes.map { $0.filter(\.isNumber) },
                         have: release.communityHave, want: release.communityWant)
    }
}
