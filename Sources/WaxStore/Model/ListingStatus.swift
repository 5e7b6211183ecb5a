import Foundation

/// A listing's status on Discogs. The ones wax acts on are named; any other Discogs may send
/// (Suspended, Violation…) is kept as it came. Text in the database and the JSON, one value
/// here: every comparison goes through these names, never a literal.
public struct ListingStatus: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public static let forSale: ListingStatus = "For Sale"
    public static let draft: ListingStatus = "Draft"
    public static let sold: ListingStatus = "Sold"
    public static let expired: ListingStatus = "Expired"

    /// The statuses an edit may set (Discogs takes no other in `status`).
    public static let settable: [ListingStatus] = [.forSale, .draft]

    public var description: String { rawValue }
}

/// Why a listing left the current listings, kept with its row. Text in the database (the old
/// rows' words), one value here.
public enum RemovalReason: Sendable, Equatable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Sold at the counter.
    case soldInShop
    /// Sold, as a sync's verification found it (`GET` answered Sold).
    case sold
    /// Bought online: the order that did it, when wax saw the order; nil when the outbox found
    /// it sold before the order came.
    case soldOnDiscogs(order: String?)
    /// Deleted on Discogs.
    case deleted
    /// Gone from the seller's public inventory: a sync without the seller's token can't tell
    /// a sale from a deletion.
    case soldOrDeleted
    /// Gone from the mirrored status (a Draft, Expired…), as a sync's verification saw it.
    case notForSale(ListingStatus)
    /// Anything else an older wax wrote.
    case other(String)

    public init(stringLiteral value: String) { self.init(text: value) }

    public init(text: String) {
        switch text {
        case "sold in shop": self = .soldInShop
        case "sold": self = .sold
        case "sold on Discogs": self = .soldOnDiscogs(order: nil)
        case "deleted": self = .deleted
        case "sold or deleted": self = .soldOrDeleted
        default:
            if text.hasPrefix("sold on Discogs, order ") {
                self = .soldOnDiscogs(order: String(text.dropFirst("sold on Discogs, order ".count)))
            } else if text.hasPrefix("not for sale (") && text.hasSuffix(")") {
                self = .notForSale(ListingStatus(rawValue: String(text.dropFirst("not for sale (".count).dropLast())))
            } else {
                self = .other(text)
            }
        }
    }

    /// As the database keeps it (and staff read it).
    public var text: String {
        switch self {
        case .soldInShop: "sold in shop"
        case .sold: "sold"
        case .soldOnDiscogs(let order?): "sold on Discogs, order \(order)"
        case .soldOnDiscogs(nil): "sold on Discogs"
        case .deleted: "deleted"
        case .soldOrDeleted: "sold or deleted"
        case .notForSale(let status): "not for sale (\(status.rawValue))"
        case .other(let text): text
        }
    }

    public var description: String { text }
}
