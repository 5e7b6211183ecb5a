import Foundation
import Testing
import WaxTestSupport
@testable import WaxStore

/// The in-memory index's own parts: they are built lazily, so a mistake there shows only in
/// the answers of a later question.
@Suite struct InventoryIndexTests {
    /// Every id is found at its position, and ids between, before and after the stored ones
    /// are not, however the ids spread: evenly, in clumps, or one far from the rest (where a
    /// guess from the value lands badly).
    @Test(arguments: ["even", "clumped", "outlier", "one", "empty"])
    func everyIDIsFoundAtItsPositionAndNoOtherIs(spread: String) {
        var random = SeededRandom(seed: 7)
        var ids: [Int64]
        switch spread {
        case "even": ids = (0..<5_000).map { Int64($0) * 97 + 1_000_000 }
        case "clumped": ids = (0..<5_000).map { Int64($0 % 50) + Int64($0 / 50) * 1_000_000_007 }
        case "outlier": ids = (0..<4_999).map { Int64($0) * 3 + 10 } + [9_000_000_000_000]
        case "one": ids = [42]
        default: ids = []
        }
        let positions = (0..<Int32(ids.count)).shuffled(using: &random)
        let ascending = InventoryIndex.AscendingIDs(ids: ListingIDs(ids), positions: positions)
        for (i, id) in ids.enumerated() {
            #expect(ascending.position(of: id) == positions[i])
        }
        let stored = Set(ids)
        var probes: [Int64] = [.min, -1, 0, .max]
        for id in ids { probes += [id - 1, id + 1] }
        for id in probes where !stored.contains(id) {
            #expect(ascending.position(of: id) == nil, "\(id) is not stored")
        }
    }

    /// Full-text matches come in ascending id order and are mapped by walking along; one that
    /// came out of order must still be found, not skipped because the walk has passed it.
    @Test(arguments: ["ascending", "descending", "shuffled"])
    func matchesMapToTheirPositionsInWhateverOrderTheyCome(order: String) {
        var random = SeededRandom(seed: 5)
        let ids = (0..<2_000).map { Int64($0) * 7 + 100 }
        let positions = (0..<Int32(ids.count)).shuffled(using: &random)
        let ascending = InventoryIndex.AscendingIDs(ids: ListingIDs(ids), positions: positions)
        // Every third listing matches, and ids no listing has come between them.
        var matches = stride(from: 0, to: ids.count, by: 3).map { ids[$0] } + [1, 101, 99_999]
        switch order {
        case "ascending": matches.sort()
        case "descending": matches.sort(by: >)
        default: matches.shuffle(using: &random)
        }
        var mapper = InventoryIndex.AscendingMapper(ascending, count: ids.count)
        for id in matches { mapper.add(id) }
        var expected = Bitset(capacity: ids.count)
        for i in stride(from: 0, to: ids.count, by: 3) { expected.insert(Int(positions[i])) }
        #expect(mapper.positions.words == expected.words)
    }

    /// Ids are held as four-byte offsets when they span less than 2³² and whole otherwise; in
    /// either form each comes back as stored, a permutation gives what mapping would, and the
    /// walk the full-text mapper takes stops where a linear search does.
    @Test(arguments: [("close", true), ("span 2³² - 1", true), ("span 2³²", false), ("negative", true), ("extremes", false), ("empty", true)])
    func listingIDsComeBackAsStoredInEitherForm(spread: String, narrow: Bool) {
        var random = SeededRandom(seed: 3)
        let ids: [Int64]
        switch spread {
        case "close": ids = (0..<3_000).map { 3_600_000_000 + Int64($0) * 37 }
        case "span 2³² - 1": ids = [4_000_000_000, 4_000_000_000 + Int64(UInt32.max), 4_000_000_100]
        case "span 2³²": ids = [4_000_000_000, 4_000_000_000 + Int64(UInt32.max) + 1, 4_000_000_100]
        case "negative": ids = [-5, 12, -2_000_000_000, 7]
        case "extremes": ids = [.max, .min, 0, 1]
        default: ids = []
        }
        let stored = ListingIDs(ids)
        #expect(stored.narrow == narrow)
        #expect(Array(stored) == ids)
        let order = (0..<Int32(ids.count)).shuffled(using: &random)
        let permuted = ListingIDs(stored, permutedBy: order)
        #expect(Array(permuted) == order.map { ids[Int($0)] } && permuted.narrow == narrow)

        #expect(stored.ascendingOrder().map { ids[Int($0)] } == ids.sorted())
        let ascending = ids.sorted()
        let walked = ListingIDs(ascending)
        var probes: [Int64] = [.min, .max, 0]
        for id in ascending { probes += [id, id &- 1, id &+ 1] }
        for start in Set([0, ascending.count / 2, ascending.count]) {
            for probe in probes {
                let expected = ascending[start...].firstIndex { $0 >= probe } ?? ascending.count
                #expect(walked.firstIndex(from: start, notBelow: probe) == expected, "from \(start), \(probe)")
            }
        }
    }

    /// Prices are held as cents while every one is a whole number of cents, and whole from the
    /// first that is not: either way each comes back exactly as read, none as NaN, and the sort
    /// key orders them as the prices order.
    @Test(arguments: [("cents", true), ("a third decimal", false), ("beyond 2³¹ cents", false)])
    func pricesComeBackExactlyAsRead(kind: String, narrow: Bool) {
        var random = SeededRandom(seed: 9)
        var prices: [Double?] = (0..<2_000).map { $0 % 17 == 0 ? nil : Double(random.next() % 1_000_000) / 100 }
        prices += [0, 0.01, 19.99, 21_474_836.47]
        switch kind {
        case "a third decimal": prices.insert(12.345, at: 1_000)
        case "beyond 2³¹ cents": prices.insert(21_474_836.48, at: 1_000)
        default: break
        }
        var column = PriceColumn(capacity: prices.count)
        for price in prices { column.append(price) }
        #expect(column.narrow == narrow && column.count == prices.count)
        for (position, price) in prices.enumerated() {
            if let price {
                #expect(column[position] == price, "\(position)")
            } else {
                #expect(column[position].isNaN && column.sortKey(at: position) == nil)
            }
        }
        let priced = prices.indices.filter { prices[$0] != nil }
        let byKey = priced.sorted { (column.sortKey(at: $0)!, $0) < (column.sortKey(at: $1)!, $1) }
        let byPrice = priced.sorted { (prices[$0]!, $0) < (prices[$1]!, $1) }
        #expect(byKey == byPrice)
    }

    /// A filter column answers the same whatever width its codes take: a byte up to 255 values
    /// of a kind, two bytes up to 65,535, four beyond. Small test shops only ever need a byte.
    @Test(arguments: [(3, ValueColumn.Width.byte), (255, .byte), (256, .pair), (65_535, .pair), (65_536, .word)])
    func aColumnFindsAndCountsItsValuesAtEveryWidth(kindValues: Int, width: ValueColumn.Width) {
        var random = SeededRandom(seed: 11)
        // The kind's value ids are spread among other kinds' (ids are shared by every kind).
        let kindIDs = (0..<kindValues).map { Int32(2 * $0 + 5) }
        let idCapacity = 2 * kindValues + 6
        let listings = 3_000
        var column = ValueColumn(valueIDs: kindIDs, capacity: listings)
        #expect(column.width == width)
        var idAt: [Int32] = []
        for _ in 0..<listings {
            // The last value is always among them: the widest code must survive its narrowing.
            let code = idAt.count == 6 ? kindValues : Int(random.next() % UInt64(kindValues + 1))   // 0: none
            column.append(code)
            idAt.append(code == 0 ? 0 : kindIDs[code - 1])
        }
        #expect(column.count == listings)
        let wanted: [Int64] = [Int64(kindIDs[0]), Int64(kindIDs[kindValues - 1]), 4]   // 4: another kind's id
        // Dense words are tested 64 codes at once, sparse ones member by member: no listing,
        // every 50th, every third, and everything (3,000 ends inside a word).
        var sparse = Bitset(capacity: listings)
        for position in stride(from: 7, to: listings, by: 50) { sparse.insert(position) }
        var selection = Bitset(capacity: listings)
        for position in stride(from: 0, to: listings, by: 3) { selection.insert(position) }
        for chosen in [Bitset(capacity: listings), sparse, selection, Bitset(capacity: listings, full: true)] {
            let members = column.members(of: chosen, holding: wanted, idCapacity: idCapacity)
            var expected = Bitset(capacity: listings)
            chosen.forEach { if idAt[$0] != 0 && wanted.contains(Int64(idAt[$0])) { expected.insert($0) } }
            #expect(members.words == expected.words && members.capacity == listings)
        }
        #expect(column.members(of: selection, holding: wanted, idCapacity: idCapacity).count > 0)

        var counts = [Int32](repeating: 0, count: idCapacity)
        counts.withUnsafeMutableBufferPointer { column.count(into: $0, selection: selection, everything: false) }
        var expectedCounts = [Int32](repeating: 0, count: idCapacity)
        selection.forEach { if idAt[$0] != 0 { expectedCounts[Int(idAt[$0])] += 1 } }
        #expect(counts == expectedCounts)
        var all = [Int32](repeating: 0, count: idCapacity)
        all.withUnsafeMutableBufferPointer { column.count(into: $0, selection: Bitset(capacity: listings, full: true), everything: true) }
        #expect(all.reduce(0, +) == Int32(idAt.filter { $0 != 0 }.count) && all[Int(kindIDs[kindValues - 1])] > 0)
    }
}

/// The byte search jumps with `memchr` to each candidate first byte: every needle length, every
/// start and end of the range, hits at the very start and end and partial matches everywhere
/// must give what a byte-by-byte search gives.
@Suite struct ByteSearchTests {
    @Test func itFindsWhatAByteByByteSearchFinds() {
        var random = SeededRandom(seed: 21)
        // Three letters, so that partial matches (first and last byte in place, a middle one
        // not) are everywhere.
        let haystack = (0..<300).map { _ in UInt8(ascii: "a") + UInt8(random.next() % 3) }
        func naive(_ needle: [UInt8], from start: Int, to end: Int) -> Int? {
            guard end - start >= needle.count else { return nil }
            return (start...(end - needle.count)).first { Array(haystack[$0..<$0 + needle.count]) == needle }
        }
        var checked = 0, found = 0
        for length in [1, 2, 3, 4, 5, 8, 31, 32, 33, 40] {
            for _ in 0..<40 {
                // Half the needles are cut from the haystack (they occur), half are random.
                let needle: [UInt8]
                if random.next() % 2 == 0 {
                    let at = Int(random.next() % UInt64(haystack.count - length))
                    needle = Array(haystack[at..<at + length])
                } else {
                    needle = (0..<length).map { _ in UInt8(ascii: "a") + UInt8(random.next() % 3) }
                }
                let start = Int(random.next() % 80), end = haystack.count - Int(random.next() % 80)
                let got = haystack.withUnsafeBytes { bytes in
                    needle.withUnsafeBytes { ByteSearch.firstOffset(of: $0.baseAddress!, length, in: bytes.baseAddress!, from: start, to: end) }
                }
                let expected = naive(needle, from: start, to: end)
                #expect(got == expected, "needle \(String(decoding: needle, as: UTF8.self)) in \(start)..<\(end)")
                checked += 1
                if expected != nil { found += 1 }
            }
        }
        #expect(found > checked / 3 && found < checked, "both hits and misses were tried")
    }
}

/// Substrings of titles are found in the index's folded titles, substrings of artists in the
/// facet catalog's folded artists: both must find what the SQL path (`instr` over each
/// listing's own folded artist and title) finds, whatever the spacing around a name.
@Suite struct SubstringSearchTests {
    let dir = TemporaryDirectory()

    /// A sort by artist or shelf is counted from the facet value codes when the key is one per
    /// value, and held otherwise (an artist typed with spaces around it is one value but another
    /// key; an empty artist has a key but no value, like one without): either way the order is
    /// the SQL path's, both directions, with or without a filter.
    @Test(arguments: [("one key per value", true), ("spaces around an artist", false), ("an empty artist", false)])
    func sortsByArtistAndShelfAreTheSQLPathsCountedOrHeld(shop: String, counted: Bool) throws {
        let inventory = try dir.inventory()
        var random = SeededRandom(seed: 13)
        let artists = ["Moodymann", "MOODYMANN", "Björk", "bjork", "Beat Happening", "Sigur Rós", "龍", nil]
        let shelves = ["A10", "a2", "A2", "B1", "popup", "bin 1", nil]
        var listings = (1...300).map { id in
            Fixture.listing(Int64(id) * 7919 % 1_000_003, artist: artists[Int(random.next() % UInt64(artists.count))],
                            title: "T\(id % 11)", location: shelves[Int(random.next() % UInt64(shelves.count))])
        }
        switch shop {
        case "spaces around an artist": listings[17].artist = " Moodymann "
        case "an empty artist": listings[17].artist = ""
        default: break
        }
        _ = try inventory.importer.importListings(listings)
        let sources = try inventory.database.read { db in
            let index = try inventory.index(db)
            return try [SortField.artist, .location].map { try index.orderSource($0, db) }
        }
        for (field, source) in zip([SortField.artist, .location], sources) {
            let expected = field == .location || counted
            switch source {
            case .counted: #expect(expected, "\(field) counted")
            case .held, .positions: #expect(!expected, "\(field) held")
            }
        }
        for field in [SortField.artist, .location, .year, .condition, .title] {
            for descending in [false, true] {
                for filter in [nil, "moodymann"] {
                    var query = ListingQuery(sort: ListingSort(field, descending: descending))
                    query.artist = filter
                    var viaSQL = query
                    viaSQL.includeRemoved = true
                    let fromMemory = try inventory.search(query).map(\.id)
                    #expect(fromMemory == (try inventory.search(viaSQL).map(\.id)), "\(field) \(descending) \(filter ?? "")")
                    #expect(fromMemory.count == (filter == nil ? 300 : listings.filter { $0.artist?.lowercased().contains("moodymann") == true }.count))
                }
            }
        }
    }

    /// A prepare that began reading before a commit whose index is cached since prepares
    /// nothing. A browser's background prepare that waited long for a core used to build an
    /// index of the older generation for itself alone: a second load per change, which a busy
    /// CI machine turned into a failing count of loads.
    @Test func aPrepareOvertakenByACommitLoadsNoIndex() throws {
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings([Fixture.listing(1, artist: "Alpha"), Fixture.listing(2, artist: "Beta")])
        #expect(try inventory.count(ListingQuery()) == 2)
        let loads = inventory.indexLoads
        let (skipped, ownGeneration, older) = try inventory.database.read { db in
            let seen = try MirrorDatabase.generation(db)   // this transaction reads this generation from now on
            // Another connection commits, and a reader loads its index (on another queue: a
            // read inside this one is not allowed on this one).
            try DispatchQueue(label: "another reader").sync {
                _ = try inventory.importer.importListings([Fixture.listing(3, artist: "Gamma")])
                #expect(try inventory.count(ListingQuery()) == 3)
            }
            let skipped = try inventory.index(db, skippingOutdated: true) == nil
            // A reader that needs this generation's answers still gets an index of its own.
            return (skipped, seen, try inventory.index(db).generation)
        }
        #expect(skipped)
        #expect(older == ownGeneration)
        #expect(inventory.indexLoads == loads + 2, "the newer index and the older reader's own, and none for the prepare")
        try inventory.prepare()
        #expect(inventory.indexLoads == loads + 2)
    }

    @Test func artistsAndTitlesAreFoundAsTheSQLPathFindsThem() throws {
        let inventory = try dir.inventory()
        _ = try inventory.importer.importListings([
            Fixture.listing(1, artist: "  Moodymann ", title: "Black Mahogani"),
            Fixture.listing(2, artist: nil, title: "Untitled"),
            Fixture.listing(3, artist: "Beat Happening", title: "Jamboree"),
            Fixture.listing(4, artist: "MOODYMANN", title: "Silentintroduction"),
            Fixture.listing(5, artist: "Sigur Rós", title: nil),
        ])
        let expected: [String: Set<Int64>] = [
            "dyman": [1, 4], "ahog": [1], "ntitl": [2], "ppening": [3], "eat hap": [3], "ur ro": [5],
            "ann black": [], "introduction": [4], "zzz": [],
        ]
        for (text, ids) in expected {
            #expect(Set(try inventory.search(ListingQuery(text: text)).map(\.id)) == ids, "\(text) from memory")
            var viaSQL = ListingQuery(text: text)
            viaSQL.includeRemoved = true
            #expect(Set(try inventory.search(viaSQL).map(\.id)) == ids, "\(text) through SQL")
        }
    }
}
