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
        _ = try writer.importer.importListings((1...500).map { Fixture.listing(Int64($0), artist: "Batch 0") })
        let readers = try (0..<3).map { _ in try InventoryService.open(at: path) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for batch in 1...15 {
                    // Each write retitles every listing: a reader must see all of one batch or all of the other.
                    _ = try writer.importer.importListings((1...500).map { Fixture.listing(Int64($0), artist: "Batch \(batch)") })
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

    /// `wax serve`'s mode: after another process commits, the first answer still comes from the
    /// previous index (no wait), the next index loads in the background, and answers catch up.
    @Test func aServingReaderAnswersFromThePreviousIndexWhileTheNextLoads() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("shared.db")
        let writer = try InventoryService.open(at: path)
        _ = try writer.importer.importListings((1...20).map { Fixture.listing(Int64($0), artist: "Before") })
        let serving = try InventoryService.open(at: path, staleWhileReloading: true)
        #expect(try serving.count(ListingQuery()) == 20)

        _ = try writer.importer.importListings((21...25).map { Fixture.listing(Int64($0), artist: "After") })
        var after = ListingQuery()
        after.artist = "after"
        #expect(try serving.count(ListingQuery()) == 20, "the first answer after the commit comes from the previous index")
        #expect(try InventoryService.open(at: path).count(ListingQuery()) == 25, "a strict reader sees the commit at once")
        let deadline = Date().addingTimeInterval(10)
        while try serving.count(ListingQuery()) != 25, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try serving.count(ListingQuery()) == 25)
        // Posted at the same second: in the order they were first stored.
        #expect(try serving.search(after).map(\.id) == [21, 22, 23, 24, 25])
    }
}
