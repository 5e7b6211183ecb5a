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
        let ascending = InventoryIndex.AscendingIDs(ids: ids, positions: positions)
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
        var selection = Bitset(capacity: listings)
        for position in stride(from: 0, to: listings, by: 3) { selection.insert(position) }
        let wanted: [Int64] = [Int64(kindIDs[0]), Int64(kindIDs[kindValues - 1]), 4]   // 4: another kind's id
        let members = column.members(of: selection, holding: wanted, idCapacity: idCapacity)
        var expected = Bitset(capacity: listings)
        selection.forEach { if idAt[$0] != 0 && wanted.contains(Int64(idAt[$0])) { expected.insert($0) } }
        #expect(members.words == expected.words && members.count > 0)

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

/// Substrings of titles are found in the index's folded titles, substrings of artists in the
/// facet catalog's folded artists: both must find what the SQL path (`instr` over each
/// listing's own folded artist and title) finds, whatever the spacing around a name.
@Suite struct SubstringSearchTests {
    let dir = TemporaryDirectory()

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
