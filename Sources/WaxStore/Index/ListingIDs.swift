/// Listing ids in four bytes each: as offsets from the smallest, whenever they span less than
/// 2³² (Discogs' listing ids are below four billion today, so every shop's do). Held twice by a
/// browser's index (in its order and ascending), eight-byte ids were 1.6 MB of a
/// 100,000-listing browser and 16 MB at a million. Ids that span more are kept whole.
struct ListingIDs: RandomAccessCollection, Sendable {
    private let base: Int64
    private let offsets: [UInt32]
    /// Used instead of `offsets` when the ids span 2³² or more.
    private let whole: [Int64]
    /// Whether they are held in four bytes each.
    let narrow: Bool

    init(_ ids: [Int64]) {
        let low = ids.min() ?? 0, high = ids.max() ?? 0
        let (span, overflow) = high.subtractingReportingOverflow(low)
        base = low
        narrow = !overflow && span <= Int64(UInt32.max)
        offsets = narrow ? ids.map { UInt32(truncatingIfNeeded: $0 &- low) } : []
        whole = narrow ? [] : ids
    }

    /// `ids`' members in the order of `positions` (a permutation of its indices), in the same
    /// form, without a temporary array of whole ids.
    init(_ ids: ListingIDs, permutedBy positions: [Int32]) {
        base = ids.base
        narrow = ids.narrow
        offsets = narrow ? positions.map { ids.offsets[Int($0)] } : []
        whole = narrow ? [] : positions.map { ids.whole[Int($0)] }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { narrow ? offsets.count : whole.count }

    subscript(position: Int) -> Int64 {
        narrow ? base &+ Int64(offsets[position]) : whole[position]
    }

    /// The indices in ascending order of their ids (sorted in place: a browser's peak memory is
    /// its index plus the largest temporary).
    func ascendingOrder() -> [Int32] {
        var order = Array(0..<Int32(count))
        if narrow {
            offsets.withUnsafeBufferPointer { ids in order.sort { ids[Int($0)] < ids[Int($1)] } }
        } else {
            whole.withUnsafeBufferPointer { ids in order.sort { ids[Int($0)] < ids[Int($1)] } }
        }
        return order
    }

    /// The first index from `start` on whose id is `id` or more, for ids ascending from
    /// `start`: a walk along the stored form, since it runs once per full-text match.
    func firstIndex(from start: Int, notBelow id: Int64) -> Int {
        guard narrow else { return Self.walk(whole, from: start) { $0 >= id } }
        if id <= base { return start }
        let (target, overflow) = id.subtractingReportingOverflow(base)
        guard !overflow, target <= Int64(UInt32.max) else { return offsets.count }
        return Self.walk(offsets, from: start) { $0 >= UInt32(target) }
    }

    private static func walk<Element>(_ elements: [Element], from start: Int, until found: (Element) -> Bool) -> Int {
        elements.withUnsafeBufferPointer { elements in
            var index = start
            while index < elements.count && !found(elements[index]) { index += 1 }
            return index
        }
    }
}
