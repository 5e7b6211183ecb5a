import Foundation
import WaxJSON

/// A value of one listing field as Discogs holds it.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    /// Text; "" is none (Discogs clears a text field left out of an edit).
    case text(String)
    /// A price in a currency.
    case money(Double, currency: String?)
    case number(Double)
    case integer(Int64)
    case flag(Bool)

    /// As messages show it: `"A1"`, `(empty)`, `9.50 USD`.
    public var description: String {
        switch self {
        case .text(let text): text.isEmpty ? "(empty)" : "\"\(text)\""
        case .money(let value, let currency): Money.format(value, currency: currency)
        case .number(let value): value == value.rounded() ? String(Int64(value)) : String(value)
        case .integer(let value): String(value)
        case .flag(let value): value ? "yes" : "no"
        }
    }
}

/// Every field of a listing that Discogs' edit (`POST /marketplace/listings/{id}`) and create
/// take, declared once with how to read it from a listing, set it, send it and compare it. An
/// edit replaces the whole listing, so its body is every one of these, read from the listing as
/// Discogs holds it just now: a field left out would be cleared. The body, the differences a
/// conflict names, the mirror's local values and the sync's merge are all loops over this.
public enum EditableField: String, CaseIterable, Sendable, Codable {
    case releaseID = "release_id"
    case condition
    case sleeveCondition = "sleeve_condition"
    case price
    case status
    case comments
    case allowOffers = "allow_offers"
    /// The seller's private comments.
    case externalID = "external_id"
    case location
    case weight
    case formatQuantity = "format_quantity"

    /// Its name in Discogs' body, and in history and messages.
    public var name: String { rawValue }

    /// Discogs refuses an edit or a new listing without it.
    public var isRequired: Bool {
        switch self {
        case .releaseID, .condition, .price, .status: true
        case .sleeveCondition, .comments, .allowOffers, .externalID, .location, .weight, .formatQuantity: false
        }
    }

    /// Its value in `record`: nil when the listing has none (text fields read "" as none).
    public func value(in record: ListingRecord) -> FieldValue? {
        func text(_ value: String?) -> FieldValue { .text(value ?? "") }
        return switch self {
        case .releaseID: record.releaseID.map(FieldValue.integer)
        case .condition: text(record.condition)
        case .sleeveCondition: text(record.sleeveCondition)
        case .price: record.priceValue.map { .money($0, currency: record.priceCurrency) }
        case .status: .text(record.status.rawValue)
        case .comments: text(record.comments)
        case .allowOffers: record.allowOffers.map(FieldValue.flag)
        case .externalID: text(record.externalID)
        case .location: text(record.location)
        case .weight: record.weight.map(FieldValue.number)
        case .formatQuantity: record.formatQuantity.map { .integer(Int64($0)) }
        }
    }

    /// Sets it in `record` (what the mirror shows while an action is on its way).
    public func set(_ value: FieldValue?, in record: inout ListingRecord) {
        func text() -> String? {
            guard case .text(let text)? = value, !text.isEmpty else { return nil }
            return text
        }
        switch self {
        case .releaseID: if case .integer(let id)? = value { record.releaseID = id }
        case .condition: record.condition = text()
        case .sleeveCondition: record.sleeveCondition = text()
        case .price:
            if case .money(let amount, let currency)? = value {
                record.priceValue = amount
                if let currency { record.priceCurrency = currency }
            }
        case .status: if let status = text() { record.status = ListingStatus(rawValue: status) }
        case .comments: record.comments = text()
        case .allowOffers: if case .flag(let flag)? = value { record.allowOffers = flag }
        case .externalID: record.externalID = text()
        case .location: record.location = text()
        case .weight: if case .number(let weight)? = value { record.weight = weight }
        case .formatQuantity: if case .integer(let quantity)? = value { record.formatQuantity = Int(quantity) }
        }
    }

    /// How it goes in an edit's or a create's body; nil: left out (none to send).
    func body(_ value: FieldValue?) -> JSONValue? {
        guard let value else { return nil }
        switch value {
        case .text(let text): return text.isEmpty ? nil : .string(text)
        case .money(let amount, _): return .double((amount * 100).rounded() / 100)
        case .number(let number):
            guard number > 0 else { return nil }
            return number == number.rounded() ? .int(Int64(number)) : .double(number)
        case .integer(let integer): return self == .formatQuantity && integer <= 0 ? nil : .int(integer)
        case .flag(let flag): return .bool(flag)
        }
    }

    /// Whether two values are the same on Discogs: prices to the cent and in the same currency
    /// (when both say one), text with none as "".
    static func same(_ a: FieldValue?, _ b: FieldValue?) -> Bool {
        switch (a, b) {
        case (.money(let x, let cx)?, .money(let y, let cy)?):
            return cents(x) == cents(y) && (cx == nil || cy == nil || cx == cy)
        case (nil, .text("")?), (.text("")?, nil): return true
        default: return a == b
        }
    }

    static func cents(_ value: Double) -> Int64 { Int64((value * 100).rounded()) }
}

/// The body of an edit or a create: every editable field of `listing`, each as Discogs takes it.
/// Discogs refuses one without the required fields, and takes no status but For Sale or Draft.
public enum ListingBody {
    public struct Unsendable: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func of(_ listing: ListingRecord) throws -> [String: JSONValue] {
        var body: [String: JSONValue] = [:]
        for field in EditableField.allCases {
            let value = field.body(field.value(in: listing))
            if field.isRequired, value == nil {
                throw Unsendable(description: "Discogs sent the listing without its \(field.name)")
            }
            body[field.name] = value
        }
        guard ListingStatus.settable.contains(listing.status) else {
            // An Expired listing would come back on sale by any edit: not wax's call to make.
            throw Unsendable(description: "listing is \(listing.status) on Discogs: relist it on the website first")
        }
        return body
    }
}
