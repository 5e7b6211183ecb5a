import FakeDiscogs
import Foundation
import Testing

/// The fake Discogs as the demo and the tests drive it.
@Suite struct FakeShopTests {
    /// The demo lists something every round: each new listing is a record of its own (every
    /// one was a copy of the shop's first listing, so the demo's top rows grew identical).
    @Test func newListingsVary() {
        var configuration = FakeConfiguration()
        configuration.inventory = .generated(seed: 2026, listings: 300)
        let server = FakeDiscogsServer(configuration: configuration)
        let ids = (0..<6).map { _ in server.add() }
        let added = server.liveListings().filter { ids.contains($0.id) }
        #expect(added.count == 6 && Set(added.map(\.id)).count == 6)
        let first = server.liveListings()[0]
        #expect(Set(added.map(\.releaseID)).count >= 4, "releases: \(added.map(\.releaseID))")
        #expect(added.contains { $0.releaseID != first.releaseID || $0.price != first.price || $0.condition != first.condition })
    }
}
