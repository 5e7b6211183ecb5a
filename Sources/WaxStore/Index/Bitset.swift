/// A fixed-size set of small integers (listing positions, facet value ids).
struct Bitset: Sendable {
    private(set) var words: [UInt64]
    let capacity: Int

    init(capacity: Int, full: Bool = false) {
        self.init(capacity: capacity, words: Array(repeating: full ? ~0 : 0, count: (capacity + 63) / 64))
    }

    /// A set whose members are the set bits of `words` (64 positions a word, lowest bit
    /// first), none at or beyond `capacity`.
    init(capacity: Int, words: [UInt64]) {
        precondition(words.count == (capacity + 63) / 64, "a bitset of \(capacity) needs \((capacity + 63) / 64) words")
        self.capacity = capacity
        self.words = words
        if capacity % 64 != 0, !self.words.isEmpty { self.words[self.words.count - 1] &= (1 << UInt64(capacity % 64)) - 1 }
    }

    @inline(__always) func contains(_ i: Int) -> Bool {
        i >= 0 && i < capacity && words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    @inline(__always) mutating func insert(_ i: Int) {
        guard i >= 0 && i < capacity else { return }
        words[i >> 6] |= 1 << UInt64(i & 63)
    }

    mutating func formUnion(_ other: Bitset) {
        for i in words.indices where i < other.words.count { words[i] |= other.words[i] }
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Calls `body` with every member, in increasing order.
    func forEach(_ body: (Int) -> Void) {
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                body(w << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }
}
