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

    /// A stopped fake never takes a connection meant for the socket that gets its listening
    /// descriptor's number next. FlyingFox's `stop` closed the listening socket while the fake's
    /// accept loop was still to run (woken, and waiting for one of Swift's shared threads);
    /// on a busy machine another fake's socket took the number first, and the stopped fake
    /// accepted that socket's connections and answered them with its own shop. CI: a sync
    /// mirrored another test's shop, and a listing of the test's own fake was missing from its
    /// mirror.
    ///
    /// Here the shared threads are kept busy while the fake stops, as the load did: its socket
    /// must stay open until its accept loop has run. Then a socket that takes the number (when
    /// this test's is the one that does) gets its own connection.
    @Test func aStoppedFakeNeverAcceptsForTheSocketThatTakesItsNumber() async throws {
        var configuration = FakeConfiguration()
        configuration.inventory = .generated(seed: 1, listings: 1)
        let stopped = FakeDiscogsServer(configuration: configuration)
        let stoppedPort = try #require(try await stopped.start().port)
        let number = try #require(RawListener.descriptor(listeningOn: stoppedPort))
        struct Outcome { var closedWhileBusy: Bool, descriptor: Int32, accepted: Bool, client: RawConnection, stopping: Task<Void, Never> }
        let outcome: Result<Outcome, any Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let busy = SharedThreadsBusy()
                let madeBusy = busy.start()
                defer { busy.end() }
                // Stopping runs on a queue of its own, so it goes on while the shared threads are busy.
                let stopping = Task(executorPreference: QueueExecutor()) { await stopped.stop() }
                func closed() -> Bool { (try? RawConnection(port: stoppedPort)) == nil }
                var closedWhileBusy = false
                for _ in 0..<300 where madeBusy {
                    if closed() { closedWhileBusy = true; break }
                    usleep(1_000)
                }
                busy.end()
                while !closed() { usleep(1_000) }
                continuation.resume(returning: Result {
                    let listener = try RawListener(at: number)
                    let client = try RawConnection(port: listener.port)
                    usleep(200_000)   // a stale accept loop would take the connection now
                    let accepted = listener.accept(within: 30)
                    return Outcome(closedWhileBusy: closedWhileBusy, descriptor: listener.descriptor, accepted: accepted, client: client,
                                   stopping: stopping)
                })
            }
        }
        let seen = try outcome.get()
        var answer = ""
        if !seen.accepted {   // who took it, then?
            await seen.client.send("GET /_fake/stats HTTP/1.1\r\nHost: x\r\nUser-Agent: wax-tests/1.0\r\nConnection: close\r\n\r\n")
            answer = String(decoding: await seen.client.readAll(timeout: 10), as: UTF8.self)
        }
        #expect(!seen.closedWhileBusy, "the stopping fake closed its listening socket before its accept loop could run")
        #expect(seen.descriptor != number || seen.accepted,
                "the stopped fake took a connection made to descriptor \(number), and answered: \(answer.prefix(40))")
        await seen.stopping.value
    }
}
