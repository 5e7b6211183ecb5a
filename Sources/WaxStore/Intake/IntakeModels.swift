import Foundation
import WaxConfig

/// A release Discogs' database search found: what staff choose a pressing by.
public struct ReleaseCandidate: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var artist: String
    public var title: String
    public var labels: [String]
    public var catalogNumber: String?
    /// `["Vinyl", "LP", "Album"]`, as the search answers.
    public var formats: [String]
    public var formatQuantity: Int?
    public var country: String?
    public var year: Int?
    /// Digits only: Discogs' list mixes barcodes with matrix strings (those are dropped).
    public var barcodes: [String]
    public var have: Int?
    public var want: Int?

    public init(id: Int64, artist: String, title: String, labels: [String] = [], catalogNumber: String? = nil, formats: [String] = [],
                formatQuantity: Int? = nil, country: String? = nil, year: Int? = nil, barcodes: [String] = [], have: Int? = nil, want: Int? = nil) {
        self.id = id
        self.artist = artist
        self.title = title
        self.labels = labels
        self.catalogNumber = catalogNumber
        self.formats = formats
        self.formatQuantity = formatQuantity
        self.country = country
        self.year = year
        self.barcodes = barcodes
        self.have = have
        self.want = want
    }

    /// `LP, Album, RE` as a listing's format reads (the first name is the medium).
    public var formatText: String {
        let parts = formats.first == "Vinyl" && formats.count > 1 ? Array(formats.dropFirst()) : formats
        return parts.joined(separator: ", ")
    }
}

/// A sleeve's grade: a media grade, or what only a sleeve can be.
public enum SleeveGrade: Sendable, Equatable, Hashable, CaseIterable {
    case graded(ConditionGrade)
    case generic, notGraded, noCover

    public static let allCases: [SleeveGrade] = ConditionGrade.allCases.reversed().map(SleeveGrade.graded) + [.generic, .notGraded, .noCover]

    /// Exactly as Discogs takes it.
    public var discogsText: String {
        switch self {
        case .graded(let grade): grade.discogsText
        case .generic: "Generic"
        case .notGraded: "Not Graded"
        case .noCover: "No Cover"
        }
    }

    /// The code staff type: `VG+`, `gen`, `n/g`, `none`.
    public var code: String {
        switch self {
        case .graded(let grade): grade.code
        case .generic: "gen"
        case .notGraded: "n/g"
        case .noCover: "none"
        }
    }

    /// `VG+`, `vg+`, `Very Good Plus (VG+)`, `generic`, `gen`…
    public init?(_ text: String) {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let grade = ConditionGrade(text) {
            self = .graded(grade)
        } else if let other = [SleeveGrade.generic, .notGraded, .noCover].first(where: { $0.code == lowered || $0.discogsText.lowercased() == lowered }) {
            self = other
        } else {
            return nil
        }
    }
}

extension ConditionGrade {
    /// Exactly as Discogs takes it: `Very Good Plus (VG+)`.
    public var discogsText: String {
        switch self {
        case .mint: "Mint (M)"
        case .nearMint: "Near Mint (NM or M-)"
        case .veryGoodPlus: "Very Good Plus (VG+)"
        case .veryGood: "Very Good (VG)"
        case .goodPlus: "Good Plus (G+)"
        case .good: "Good (G)"
        case .fair: "Fair (F)"
        case .poor: "Poor (P)"
        }
    }

    /// `VG+`, `vg+`, `M-`, or the full Discogs text.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let grade = ConditionGrade.allCases.first(where: { $0.code.caseInsensitiveCompare(trimmed) == .orderedSame }) {
            self = grade
        } else if let grade = ConditionGrade(discogs: trimmed), trimmed.contains("(") || trimmed.uppercased() == "M-" {
            self = grade
        } else {
            return nil
        }
    }
}

/// What staff fill in for a record taken in: the pressing, its grades, its price and place.
public struct NewListing: Sendable, Equatable {
    public var release: ReleaseCandidate
    public var media: ConditionGrade
    public var sleeve: SleeveGrade?
    public var price: Double
    public var currency: String?
    public var location: String
    public var comments: String
    /// The seller's private comments (`external_id` on Discogs).
    public var privateComments: String
    public var allowOffers: Bool
    public var status: ListingStatus

    public init(release: ReleaseCandidate, media: ConditionGrade, sleeve: SleeveGrade?, price: Double, currency: String? = nil,
                location: String = "", comments: String = "", privateComments: String = "", allowOffers: Bool = false,
                status: ListingStatus = .forSale) {
        self.release = release
        self.media = media
        self.sleeve = sleeve
        self.price = price
        self.currency = currency
        self.location = location
        self.comments = comments
        self.privateComments = privateComments
        self.allowOffers = allowOffers
        self.status = status
    }
}

/// What the shop already has of a release: "2 in stock, bins A3, B12".
public struct ReleaseStock: Sendable, Equatable {
    public var count: Int
    public var bins: [String]
    public init(count: Int = 0, bins: [String] = []) {
        self.count = count
        self.bins = bins
    }
}

/// The last time the shop sold this release, and for how much.
public struct PastSale: Sendable, Equatable {
    public var price: Double
    public var currency: String?
    public var soldAt: Date?
    /// On Discogs (an order) or at the counter.
    public var online: Bool

    public init(price: Double, currency: String?, soldAt: Date?, online: Bool) {
        self.price = price
        self.currency = currency
        self.soldAt = soldAt
        self.online = online
    }
}

/// A sticker waiting to be printed (or printed again): what goes on it.
public struct Sticker: Sendable, Equatable {
    public var listingID: Int64
    public var artist: String?
    public var title: String?
    public var condition: String?
    public var sleeveCondition: String?
    public var price: Double?
    public var currency: String?
    public var location: String?
    public var queuedAt: Date?
    public var printedAt: Date?

    public init(listingID: Int64, artist: String? = nil, title: String? = nil, condition: String? = nil, sleeveCondition: String? = nil,
                price: Double? = nil, currency: String? = nil, location: String? = nil, queuedAt: Date? = nil, printedAt: Date? = nil) {
        self.listingID = listingID
        self.artist = artist
        self.title = title
        self.condition = condition
        self.sleeveCondition = sleeveCondition
        self.price = price
        self.currency = currency
        self.location = location
        self.queuedAt = queuedAt
        self.printedAt = printedAt
    }
}

/// What Discogs tells about pricing a release.
public enum PriceSuggestions: Sendable, Equatable {
    /// One price per media grade, in the seller's currency, unrounded.
    case suggested([ConditionGrade: Money])
    /// Discogs has none for this release (`{}`).
    case none
    /// Discogs refused: the seller's settings on Discogs are incomplete (403).
    case sellerSettingsIncomplete(String)
}

/// What is for sale of a release on Discogs now.
public struct MarketStats: Sendable, Equatable {
    public var lowest: Money?
    public var forSale: Int
    public init(lowest: Money?, forSale: Int) {
        self.lowest = lowest
        self.forSale = forSale
    }
}

/// Everything beside the price field: Discogs' suggestion for the grade, the market, and the
/// shop's own history and stock.
public struct PriceAdvice: Sendable, Equatable {
    public var suggestions: PriceSuggestions
    public var market: MarketStats?
    public var lastSale: PastSale?
    public var stock: ReleaseStock

    public init(suggestions: PriceSuggestions, market: MarketStats?, lastSale: PastSale?, stock: ReleaseStock) {
        self.suggestions = suggestions
        self.market = market
        self.lastSale = lastSale
        self.stock = stock
    }

    /// Discogs' suggestion for `grade`, rounded the shop's way; nil when Discogs has none.
    public func suggested(for grade: ConditionGrade, rounding: PriceRounding) -> Money? {
        guard case .suggested(let prices) = suggestions, let price = prices[grade] else { return nil }
        return Money(value: rounding.apply(price.value), currency: price.currency)
    }
}

