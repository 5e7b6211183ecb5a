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
