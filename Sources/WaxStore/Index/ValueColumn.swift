/// One facet kind's value for every listing, as a code in the narrowest integer that holds the
/// kind's values: a byte for formats, genres, grades and statuses, two for the artists and
/// labels of any shop up to 65,535 of them. A code is the value's place among its kind's values
/// plus one (0: none); `valueIDs` turns it back into the facet value id.
///
/// With a 4-byte value id in each of the nine columns, a million listings held 36 MB of them;
/// codes take 13 bytes a listing.
struct ValueColumn: Sendable {
    enum Width: Sendable { case byte, pair, word }

    let width: Width
    /// The codes, in the one array `width` names (the others stay empty).
    private var bytes: [UInt8] = []
    private var pairs: [UInt16] = []
    private var words: [UInt32] = []
    /// The facet value id of each code; `valueIDs[0]` is 0 (none).
    let valueIDs: [Int32]

    /// An empty column for a kind whose values have these ids, room made for `capacity` listings.
    init(valueIDs kindIDs: [Int32], capacity: Int) {
        valueIDs = [0] + kindIDs
        if valueIDs.count <= Int(UInt8.max) + 1 {
            width = .byte
            bytes.reserveCapacity(capacity)
        } else if valueIDs.count <= Int(UInt16.max) + 1 {
            width = .pair
            pairs.reserveCapacity(capacity)
        } else {
            width = .word
            words.reserveCapacity(capacity)
        }
    }

    /// Appends the next listing's code (which must be below `valueIDs.count`).
    mutating func append(_ code: Int) {
        switch width {
        case .byte: bytes.append(UInt8(code))
        case .pair: pairs.append(UInt16(code))
        case .word: words.append(UInt32(code))
        }
    }

    /// The code of the listing at `position`.
    func code(at position: Int) -> Int {
        switch width {
        case .byte: Int(bytes[position])
        case .pair: Int(pairs[position])
        case .word: Int(words[position])
        }
    }

    var count: Int {
        switch width {
        case .byte: bytes.count
        case .pair: pairs.count
        case .word: words.count
        }
    }

    /// The members of `selection` whose value is one of `ids`.
    func members(of selection: Bitset, holding ids: [Int64], idCapacity: Int) -> Bitset {
        var wantedID = Bitset(capacity: idCapacity)
        for id in ids { wantedID.insert(Int(id)) }
        var wanted = [Bool](repeating: false, count: valueIDs.count)
        for code in valueIDs.indices.dropFirst() where wantedID.contains(Int(valueIDs[code])) { wanted[code] = true }
        switch width {
        case .byte: return Self.members(of: selection, wanted: wanted, in: bytes)
        case .pair: return Self.members(of: selection, wanted: wanted, in: pairs)
        case .word: return Self.members(of: selection, wanted: wanted, in: words)
        }
    }

    /// A word of the selection with this many members or more is tested 64 codes at once,
    /// without a branch per listing; a sparser one member by member.
    private static let denseWord = 8

    /// Tested member by member, a genre and a format over a million listings took 13–18 ms a
    /// page and count (now 3–4 ms): a dense word's 64 codes are looked up in a row and their
    /// answers shifted into place, then masked by the selection.
    private static func members<Code: FixedWidthInteger>(of selection: Bitset, wanted: [Bool], in codes: [Code]) -> Bitset {
        var words = [UInt64](repeating: 0, count: selection.words.count)
        wanted.withUnsafeBufferPointer { wanted in
            codes.withUnsafeBufferPointer { codes in
                words.withUnsafeMutableBufferPointer { words in
                    for (w, selected) in selection.words.enumerated() where selected != 0 {
                        let base = w << 6
                        var kept: UInt64 = 0
                        if selected.nonzeroBitCount >= denseWord {
                            for offset in 0..<min(64, codes.count - base) {
                                kept |= UInt64(wanted[Int(codes[base + offset])] ? 1 : 0) << UInt64(offset)
                            }
                            kept &= selected
                        } else {
                            var bits = selected
                            while bits != 0 {
                                let offset = bits.trailingZeroBitCount
                                if wanted[Int(codes[base + offset])] { kept |= 1 << UInt64(offset) }
                                bits &= bits - 1
                            }
                        }
                        words[w] = kept
                    }
                }
            }
        }
        return Bitset(capacity: selection.capacity, words: words)
    }

    /// Adds one to `counts[id]` for the value id of each member of `selection` that has one
    /// (every position when `everything`).
    func count(into counts: UnsafeMutableBufferPointer<Int32>, selection: Bitset, everything: Bool) {
        var byCode = [Int](repeating: 0, count: valueIDs.count)
        byCode.withUnsafeMutableBufferPointer { byCode in
            switch width {
            case .byte: Self.count(bytes, into: byCode, selection: selection, everything: everything)
            case .pair: Self.count(pairs, into: byCode, selection: selection, everything: everything)
            case .word: Self.count(words, into: byCode, selection: selection, everything: everything)
            }
        }
        for code in byCode.indices.dropFirst() where byCode[code] > 0 {
            let id = Int(valueIDs[code])
            if id > 0 && id < counts.count { counts[id] += Int32(byCode[code]) }
        }
    }

    private static func count<Code: FixedWidthInteger>(_ codes: [Code], into byCode: UnsafeMutableBufferPointer<Int>,
                                                      selection: Bitset, everything: Bool) {
        codes.withUnsafeBufferPointer { codes in
            if everything {
                for code in codes { byCode[Int(code)] += 1 }
            } else {
                selection.forEach { byCode[Int(codes[$0])] += 1 }
            }
        }
    }
}
