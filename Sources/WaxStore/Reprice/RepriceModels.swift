import Foundation
import WaxConfig

/// How a reprice run changes prices: an adjustment, then the shop's rounding, then a floor and
/// a ceiling. Written as staff type it: `+10%`, `-15%`, `=12.00`, `to-suggestion`, `min-market`.
public struct RepriceRule: Sendable, Equatable, CustomStringConvertible {
    public enum Adjustment: Sendable, Equatable {
        case percent(Double)
        case set(Double)
        /// Discogs' price suggestion for the listing's media grade.
        case toSuggestion
        /// No lower than the market's lowest price for the release.
        case minMarket
    }

    public var adjustment: Adjustment
    public var rounding: PriceRounding
    public var floor: Double?
    public var ceiling: Double?

    public init(_ adjustment: Adjustment, rounding: PriceRounding = .none, floor: Double? = nil, ceiling: Double? = nil) {
        self.adjustment = adjustment
        self.rounding = rounding
        self.floor = floor
        self.ceiling = ceiling
    }

    /// `+10%`, `-15%`, `=12.00` (or `12.00`), `to-suggestion`, `min-market`.
    public static func adjustment(_ text: String) -> Adjustment? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: ",", with: ".")
        switch text {
        case "to-suggestion", "suggestion", "suggested": return .toSuggestion
        case "min-market", "market": return .minMarket
        default: break
        }
        if text.hasSuffix("%"), let value = Double(text.dropLast()), value.isFinite, text.first == "+" || text.first == "-" {
            return value > -100 ? .percent(value) : nil
        }
        let number = text.hasPrefix("=") ? String(text.dropFirst()) : text
        if let value = Double(number), value.isFinite, value > 0, !text.hasPrefix("+"), !text.hasPrefix("-") { return .set(value) }
        return nil
    }

    /// A rule as typed in one line (the browser's `R`): `-15% .99 floor 1 ceiling 50`,
    /// `+10% 0.50`, `=12`. A rounding is an ending (`.99`) or a step (`0.50`).
    public init?(parsing line: String) {
        var words = line.split(separator: " ").map(String.init)
        guard !words.isEmpty, let adjustment = Self.adjustment(words.removeFirst()) else { return nil }
        self.init(adjustment)
        while !words.isEmpty {
            let word = words.removeFirst().lowercased()
            switch word {
            case "floor", "ceiling":
                guard let text = words.first, let value = Double(text.replacingOccurrences(of: ",", with: ".")), value > 0 else { return nil }
                words.removeFirst()
                if word == "floor" { floor = value } else { ceiling = value }
            default:
                guard let parsed = PriceRounding(word), parsed != .none else { return nil }
                rounding = parsed
            }
        }
    }

    public var needsSuggestions: Bool { adjustment == .toSuggestion }
    public var needsMarket: Bool { adjustment == .minMarket }

    /// `+10%, rounded 0.50, floor 2.00`.
    public var description: String {
        var parts: [String] = []
        switch adjustment {
        case .percent(let value): parts.append((value >= 0 ? "+" : "") + Self.number(value) + "%")
        case .set(let value): parts.append("=" + String(format: "%.2f", value))
        case .toSuggestion: parts.append("to-suggestion")
        case .minMarket: parts.append("min-market")
        }
        if rounding != .none { parts.append("rounded \(rounding)") }
        if let floor { parts.append("floor " + String(format: "%.2f", floor)) }
        if let ceiling { parts.append("ceiling " + String(format: "%.2f", ceiling)) }
        return parts.joined(separator: ", ")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }
}

/// A listing as a run sees it: what it is priced at and what a rule reads.
public struct RepriceCandidate: Sendable, Equatable {
    public var listingID: Int64
    public var releaseID: Int64?
    public var artist: String?
    public var title: String?
    public var location: String?
    public var price: Double
    public var currency: String?
    public var condition: ConditionGrade?
    public var posted: Date?

    public init(listingID: Int64, releaseID: Int64? = nil, artist: String? = nil, title: String? = nil, location: String? = nil, price: Double,
                currency: String? = nil, condition: ConditionGrade? = nil, posted: Date? = nil) {
        self.listingID = listingID
        self.releaseID = releaseID
        self.artist = artist
        self.title = title
        self.location = location
        self.price = price
        self.currency = currency
        self.condition = condition
        self.posted = posted
    }
}

/// What Discogs says a release is worth, for the rules that ask it.
public struct ReleasePrices: Sendable, Equatable {
    public var suggestions: [ConditionGrade: Money]
    public var lowest: Money?
    public init(suggestions: [ConditionGrade: Money] = [:], lowest: Money? = nil) {
        self.suggestions = suggestions
        self.lowest = lowest
    }
}

/// One listing a run changes: its old and new price, and why.
public struct RepriceItem: Sendable, Equatable {
    public enum State: String, Sendable, Equatable, CaseIterable {
        case queued, sent, confirmed, conflict, failed

        public var isOpen: Bool {
            switch self {
            case .queued, .sent: true
            case .confirmed, .conflict, .failed: false
            }
        }
    }

    public var listingID: Int64
    public var releaseID: Int64?
    public var artist: String?
    public var title: String?
    public var location: String?
    public var oldPrice: Double
    public var newPrice: Double
    public var currency: String?
    public var reason: String
    public var state: State
    public var message: String?
    public var actionID: Int64?

    public init(listingID: Int64, releaseID: Int64? = nil, artist: String? = nil, title: String? = nil, location: String? = nil, oldPrice: Double,
                newPrice: Double, currency: String?, reason: String, state: State = .queued, message: String? = nil, actionID: Int64? = nil) {
        self.listingID = listingID
        self.releaseID = releaseID
        self.artist = artist
        self.title = title
        self.location = location
        self.oldPrice = oldPrice
        self.newPrice = newPrice
        self.currency = currency
        self.reason = reason
        self.state = state
        self.message = message
        self.actionID = actionID
    }
}

/// A rule applied to a selection, before anything is sent: every listing that changes, and
/// what was left out and why.
public struct RepricePlan: Sendable, Equatable {
    public var rule: String
    /// The selection in words (`genre Reggae, older than 180 days`).
    public var selection: String
    public var items: [RepriceItem]
    /// Listings the rule leaves as they are.
    public var unchanged = 0
    /// Listings priced in another currency than the shop's (a rule's amounts are the shop's).
    public var otherCurrency = 0
    /// Listings the rule could not price (no suggestion for the grade, nothing on the market).
    public var noData = 0
    /// Why it can't be sent as it is (a price at or below zero, over the shop's ceiling).
    public var problems: [String] = []
    public var currency: String?
    /// The run this plan undoes.
    public var undoes: Int64?

    public init(rule: String, selection: String, items: [RepriceItem], currency: String?) {
        self.rule = rule
        self.selection = selection
        self.items = items
        self.currency = currency
    }

    public var up: Int { items.filter { $0.newPrice > $0.oldPrice }.count }
    public var down: Int { items.filter { $0.newPrice < $0.oldPrice }.count }
    /// The changed listings' value before and after.
    public var valueBefore: Double { items.reduce(0) { $0 + $1.oldPrice } }
    public var valueAfter: Double { items.reduce(0) { $0 + $1.newPrice } }
}

/// Computes a plan: pure, so the preview of 100,000 listings is arithmetic over rows read once.
public enum RepricePlanner {
    public static func plan(_ candidates: [RepriceCandidate], rule: RepriceRule, selection: String, shopCurrency: String?,
                            prices: [Int64: ReleasePrices] = [:], priceLimit: Double) -> RepricePlan {
        var plan = RepricePlan(rule: rule.description, selection: selection, items: [], currency: shopCurrency)
        var atOrBelowZero: [Int64] = [], overLimit: [Int64] = []
        for candidate in candidates {
            if let shopCurrency, let currency = candidate.currency, currency != shopCurrency {
                plan.otherCurrency += 1
                continue
            }
            var reason: String
            var price: Double
            switch rule.adjustment {
            case .percent(let value):
                price = candidate.price * (1 + value / 100)
                reason = rule.description.components(separatedBy: ",")[0]
            case .set(let value):
                price = value
                reason = "=" + String(format: "%.2f", value)
            case .toSuggestion:
                guard let grade = candidate.condition, let release = candidate.releaseID, let suggested = prices[release]?.suggestions[grade] else {
                    plan.noData += 1
                    continue
                }
                price = suggested.value
                reason = "suggestion for \(grade.code) " + String(format: "%.2f", suggested.value)
            case .minMarket:
                guard let release = candidate.releaseID, let lowest = prices[release]?.lowest else {
                    plan.noData += 1
                    continue
                }
                guard lowest.value > candidate.price else {
                    plan.unchanged += 1
                    continue
                }
                price = lowest.value
                reason = "market lowest " + String(format: "%.2f", lowest.value)
            }
            if case .set = rule.adjustment {} else if rule.rounding != .none { price = rule.rounding.apply(price) }
            if let floor = rule.floor, price < floor {
                price = floor
                reason += " (floor)"
            }
            if let ceiling = rule.ceiling, price > ceiling {
                price = ceiling
                reason += " (ceiling)"
            }
            price = (price * 100).rounded() / 100
            if price == candidate.price {
                plan.unchanged += 1
                continue
            }
            if price <= 0 { atOrBelowZero.append(candidate.listingID) }
            if price > priceLimit { overLimit.append(candidate.listingID) }
            plan.items.append(RepriceItem(listingID: candidate.listingID, releaseID: candidate.releaseID, artist: candidate.artist, title: candidate.title,
                                          location: candidate.location, oldPrice: candidate.price, newPrice: price, currency: candidate.currency ?? shopCurrency,
                                          reason: reason))
        }
        if !atOrBelowZero.isEmpty {
            plan.problems.append("the rule prices \(atOrBelowZero.count) listing\(atOrBelowZero.count == 1 ? "" : "s") at or below zero (first: \(atOrBelowZero[0])): give a --floor")
        }
        if !overLimit.isEmpty {
            plan.problems.append("the rule prices \(overLimit.count) listing\(overLimit.count == 1 ? "" : "s") above the shop's ceiling of \(String(format: "%.2f", priceLimit)) (WAX_MAX_PRICE; first: \(overLimit[0])): give a --ceiling")
        }
        return plan
    }
}

/// A run as recorded: who, when, the rule, how it was sent and how far it got.
public struct RepriceRun: Sendable, Equatable, Identifiable {
    public enum Method: String, Sendable, Equatable {
        /// Ordinary outbox edits, one per listing (a small run).
        case edits
        /// One CSV change job for all of them.
        case job
    }

    public var id: Int64
    public var user: String
    public var createdAt: Date
    public var rule: String
    public var selection: String
    public var method: Method
    public var undoes: Int64?
    public var jobURL: String?
    public var jobStatus: String?
    public var finishedAt: Date?
    /// Items by state.
    public var counts: [RepriceItem.State: Int]

    public var total: Int { counts.values.reduce(0, +) }
    public var open: Int { RepriceItem.State.allCases.filter(\.isOpen).reduce(0) { $0 + (counts[$1] ?? 0) } }
}
