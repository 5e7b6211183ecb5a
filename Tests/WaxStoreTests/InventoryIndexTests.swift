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
