/// Each listing's price, in four bytes: as whole cents, whenever every price is a number of
/// cents that `Double(cents) / 100` gives back exactly (Discogs prices have two decimals).
/// Otherwise (a third decimal from some import) the prices are kept as they are. Half of
/// eight-byte prices: 0.4 MB of a 100,000-listing browser, 4 MB at a million.
struct PriceColumn: Sendable {
    private static let none = Int32.min
    private var cents: [Int32] = []
    /// Used instead of `cents` once a price is not a whole number of cents.
    private var whole: [Double] = []
    /// Whether they are held as cents.
    private(set) var narrow = true

    init(capacity: Int) {
        cents.reserveCapacity(capacity)
    }

    /// Appends the next listing's price (nil: none).
    mutating func append(_ price: Double?) {
        guard narrow else { return whole.append(price ?? .nan) }
        guard let price else { return cents.append(Self.none) }
        let scaled = (price * 100).rounded()
        if scaled > Double(Self.none), scaled <= Double(Int32.max), scaled / 100 == price {
            cents.append(Int32(scaled))
        } else {
            whole = (0..<cents.count).map { self[$0] }
            whole.reserveCapacity(cents.capacity)
            whole.append(price)
            cents = []
            narrow = false
        }
    }

    /// The price at `position`, exactly as read (.nan: none).
    subscript(position: Int) -> Double {
        guard narrow else { return whole[position] }
        let value = cents[position]
        return value == Self.none ? .nan : Double(value) / 100
    }

    /// What sorts the prices as they sort, nil for none: the cents themselves, without a
    /// division per comparison.
    func sortKey(at position: Int) -> Double? {
        guard narrow else { return whole[position].isNaN ? nil : whole[position] }
        let value = cents[position]
        return value == Self.none ? nil : Double(value)
    }

    var count: Int { narrow ? cents.count : whole.count }
}
