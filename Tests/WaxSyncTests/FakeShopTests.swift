import FakeDiscogs
import Foundation
import Testing
import WaxTestSupport

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

    /// More fakes listening at once than libdispatch has threads (255): each still answers.
    /// FlyingFox's own pool held a Dispatch thread per listening server, and past the ceiling
    /// a fake's work never ran (CI: 14 tests timed out after 60 s with 120 fakes alive).
    @Test func moreFakesThanDispatchHasThreadsAllAnswer() async throws {
        var configuration = FakeConfiguration()
        configuration.inventory = .generated(seed: 3, listings: 1)
        var fakes: [FakeDiscogsServer] = []
        var ports: [Int] = []
        for _ in 0..<260 {
            let fake = FakeDiscogsServer(configuration: configuration)
            fakes.append(fake)
            ports.append(try #require(try await fake.start().port))
        }
        try await withCleanup({ for fake in fakes { await fake.stop() } }) { () async throws in
            var answered = 0
            for port in ports {
                let connection = try await RawConnection.open(port: port)
                await connection.send("GET /_fake/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                guard await connection.readResponse(timeout: 60).hasPrefix("HTTP/1.1 200") else { break }
                answered += 1
            }
            #expect(answered == ports.count, "\(answered) of \(ports.count) fakes answered")
        }
    }
}
