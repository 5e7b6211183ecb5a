import Foundation

/// Values of some of a listing's fields: what an action changes, or what the staff member saw
/// of those fields (Discogs must still hold them, or the action is refused as a conflict). Only
/// the fields named are compared and changed; every operation is a loop over them.
public struct ListingFields: Sendable, Equatable, Codable {
    /// The fields named, each with its value (nil: the listing has none).
    public private(set) var values: [EditableField: FieldValue?] = [:]
    /// The listing is to be deleted on Discogs (a sale with `WAX_SOLD_IN_SHOP=delete`).
    public var deleted: Bool?

    public init() {}

    public init(_ values: [EditableField: FieldValue?], deleted: Bool? = nil) {
        self.values = values
        self.deleted = deleted
    }

    /// The fields staff actions change, by name.
    public init(status: ListingStatus? = nil, price: Double? = nil, currency: String? = nil, location: String? = nil,
                comments: String? = nil, deleted: Bool? = nil) {
        if let status { values[.status] = .text(status.rawValue) }
        if let price { values[.price] = .money(price, currency: currency) }
        if let location { values[.location] = .text(location) }
        if let comments { values[.comments] = .text(comments) }
        self.deleted = deleted
    }

    /// `fields` as `record` holds them (what a staff member saw of the fields an action changes).
    public init(_ fields: [EditableField], of record: ListingRecord) {
        for field in fields { values[field] = .some(field.value(in: record)) }
    }

    /// The fields named, in their declared order.
    public var fields: [EditableField] { EditableField.allCases.filter { values.keys.contains($0) } }

    public subscript(field: EditableField) -> FieldValue? {
        get { values[field] ?? nil }
        set { values[field] = .some(newValue) }
    }

    public var status: ListingStatus? {
        guard case .text(let text)? = self[.status] else { return nil }
        return ListingStatus(rawValue: text)
    }

    /// An order-status action's fields: the order's status, under the same key.
    public init(orderStatus: OrderStatus) {
        values[.status] = .text(orderStatus.rawValue)
    }

    public var orderStatus: OrderStatus? { status.map { OrderStatus(rawValue: $0.rawValue) } }

    public var price: Double? {
        guard case .money(let amount, _)? = self[.price] else { return nil }
        return amount
    }

    public var currency: String? {
        guard case .money(_, let currency)? = self[.price] else { return nil }
        return currency
    }

    public var location: String? { text(.location) }
    public var comments: String? { text(.comments) }

    private func text(_ field: EditableField) -> String? {
        guard values.keys.contains(field) else { return nil }
        guard case .text(let text)? = self[field] else { return "" }
        return text
    }

    /// These fields as `record` holds them.
    public func current(in record: ListingRecord) -> ListingFields {
        ListingFields(Dictionary(uniqueKeysWithValues: fields.map { ($0, $0.value(in: record)) }), deleted: deleted == nil ? nil : false)
    }

    /// One field whose value on Discogs is not this one.
    public struct Difference: Sendable, Equatable {
        public var field: EditableField
        public var theirs: FieldValue?
        public var ours: FieldValue?

        /// "price on Discogs is 9.50 EUR, you saw 8.00 EUR": `place` says where theirs is.
        public func said(on place: String? = nil) -> String {
            "\(field.name)\(place.map { " on \($0)" } ?? "") is \(theirs.map(\.description) ?? "(none)"), you saw \(ours.map(\.description) ?? "(none)")"
        }
    }

    /// Each field whose value in `record` is not this one's (prices to the cent: Discogs keeps
    /// two decimals).
    public func differences(from record: ListingRecord) -> [Difference] {
        fields.compactMap { field in
            let theirs = field.value(in: record)
            return EditableField.same(theirs, self[field]) ? nil : Difference(field: field, theirs: theirs, ours: self[field])
        }
    }

    /// Whether `record` holds these values.
    public func isHeld(by record: ListingRecord) -> Bool { differences(from: record).isEmpty }

    /// Applies these values to `record` (what the mirror shows while the action is open).
    public func apply(to record: inout ListingRecord) {
        for field in fields { field.set(self[field], in: &record) }
    }

    /// These values over `earlier` ones (the later action on a listing wins, field by field).
    public func merged(over earlier: ListingFields) -> ListingFields {
        var merged = earlier
        for field in fields { merged[field] = self[field] }
        return merged
    }

    // MARK: Stored as JSON in the outbox: one key per field (`price` with its `currency`).

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        deleted = try container.decodeIfPresent(Bool.self, forKey: Key("deleted"))
        for field in EditableField.allCases where container.contains(Key(field.name)) {
            let key = Key(field.name)
            if try container.decodeNil(forKey: key) {
                values[field] = .some(nil)
                continue
            }
            switch field {
            case .price:
                values[field] = .money(try container.decode(Double.self, forKey: key),
                                       currency: try container.decodeIfPresent(String.self, forKey: Key("currency")))
            case .weight:
                values[field] = .number(try container.decode(Double.self, forKey: key))
            case .releaseID, .formatQuantity:
                values[field] = .integer(try container.decode(Int64.self, forKey: key))
            case .allowOffers:
                values[field] = .flag(try container.decode(Bool.self, forKey: key))
            case .condition, .sleeveCondition, .status, .comments, .externalID, .location:
                values[field] = .text(try container.decode(String.self, forKey: key))
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(deleted, forKey: Key("deleted"))
        for field in fields {
            let key = Key(field.name)
            switch self[field] {
            case nil: try container.encodeNil(forKey: key)
            case .text(let text): try container.encode(text, forKey: key)
            case .money(let amount, let currency):
                try container.encode(amount, forKey: key)
                try container.encodeIfPresent(currency, forKey: Key("currency"))
            case .number(let number): try container.encode(number, forKey: key)
            case .integer(let integer): try container.encode(integer, forKey: key)
            case .flag(let flag): try container.encode(flag, forKey: key)
            }
        }
    }
}
