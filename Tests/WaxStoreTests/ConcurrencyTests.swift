import Foundation
import Testing
import WaxStore
import WaxTestSupport

@Suite struct ConcurrencyTests {
    /// Staff browse while another process syncs: separate connections on one file, readers never
    /// see "database is locked" and never see a half-applied snapshot.
    @Test func readersNeverFailOrSeeHalfAWrite() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("shared.db")
        let writer = try InventoryService.open(at: path)
        _ = try writer.importListings((1...500).map { Fixture.listing(Int64($0), artist: "Batch 0") })
        let readers = try (0..<3).map { _ in try InventoryService.open(at: path) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for batch in 1...15 {
                    // Each write retitles every listing: a reader must see all of one batch or all of the other.
                    _ = try writer.importListings((1...500).map { Fixture.listing(Int64($0), artist: "Batch \(batch)") })
                }
            }
            for reader in readers {
                group.addTask {
                    for _ in 0..<40 {
                        let facets = try reader.facets(ListingQuery())
                        #expect(facets[.artist].count == 1, "saw a half-applied write: \(facets[.artist])")
                        #expect(try reader.count(ListingQuery()) == 500)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
