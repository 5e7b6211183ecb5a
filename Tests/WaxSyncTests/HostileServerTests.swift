import FakeDiscogs
import Foundation
import Testing
import WaxConfig
import WaxStore
@testable import WaxSync
import WaxTestSupport

/// A Discogs that misbehaves on purpose: it sends wax elsewhere, drips its answers, or never
/// answers. The token must stay home, and a sync must end.
@Suite struct HostileServerTests {
    @Test func theTokenNeverFollowsARedirectToAnotherOrigin() async throws {
        // The "other host": a second fake on another port, counting requests that carry a token.
        let thief = FakeDiscogsServer()
        let thiefURL = try await thief.start()
        defer { Task { await thief.stop() } }
        let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 21, listings: 20) })
        defer { Task { await harness.stop() } }
        harness.server.setFaults {
            $0.redirects = 6
            $0.redirectOrigin = thiefURL.absoluteString
        }
        _ = try? await harness.sync(harness.options(enrichment: .none))
        #expect(harness.server.stats.redirected >= 1)
        #expect(thief.stats.authorizedPaths.isEmpty, "the token reached another origin: \(thief.stats.authorizedPaths)")
    }

    @Test func aRedirectToPlainHTTPElsewhereIsRefusedAndNamed() async throws {
        let harness = try await SyncHarness.start()
        defer { Task { await harness.stop() } }
        harness.server.setFaults {
            $0.redirects = 100
            $0.redirectOrigin = "http://192.0.2.7:8080"      // TEST-NET: never contacted
        }
        await #expect { try await harness.sync() } throws: { error in
            guard let failure = error as? SyncFailure else { return false }
            return failure.message == "/oauth/identity redirected to http://192.0.2.7:8080/oauth/identity, which wax does not follow: the token never goes over plain http or to another scheme"
        }
        #expect(harness.server.stats.redirected == 1, "refused once, not retried")
    }

    @Test func aDripFeedingServerIsGivenUpOnAndNamed() async throws {
        // Each answer would take minutes at a byte per 50 ms; an attempt may take 1 s.
        let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 22, listings: 20) },
                                                  retry: .quick(attempts: 2), timeout: 1)
        defer { Task { await harness.stop() } }
        harness.server.setFaults { $0.dripInterval = 0.05 }
        let started = ContinuousClock.now
        await #expect { try await harness.sync() } throws: { error in
            guard let failure = error as? SyncFailure else { return false }
            return failure.kind == .failed && failure.message.hasPrefix("/oauth/identity sent no complete answer within 1 s (2 attempts)")
        }
        // Two attempts of 1 s: a minute is a bound no machine load can reach.
        #expect(started.duration(to: .now) < .seconds(60))
        #expect(try harness.inventory.syncRuns().first?.error?.contains("no complete answer") == true)
    }

    @Test func aServerThatNeverAnswersIsGivenUpOn() async throws {
        let harness = try await SyncHarness.start(retry: .quick(attempts: 3), timeout: 1)
        defer { Task { await harness.stop() } }
        harness.server.setFaults { $0.hang = true }
        let started = ContinuousClock.now
        await #expect { try await harness.sync() } throws: { error in
            (error as? SyncFailure)?.message.hasPrefix("/oauth/identity sent no complete answer within 1 s (3 attempts)") == true
        }
        #expect(started.duration(to: .now) < .seconds(60))
    }

    @Test func aPhaseDeadlineStopsRetriesEarly() async throws {
        var configuration = DiscogsClient.Configuration(baseURL: URL(string: "http://127.0.0.1:9")!, token: Secret("t"), userAgent: "wax-tests/1.0")
        configuration.retry = .quick(attempts: 50)
        let client = try DiscogsClient(configuration: configuration)
        // Port 9 (discard) refuses connections here: network errors, retried until the deadline.
        let deadline = WorkDeadline(seconds: 0.3)
        await #expect {
            try await DiscogsClient.$deadline.withValue(deadline) { _ = try await client.identity() }
        } throws: { error in
            switch error as? DiscogsError {
            case .network?, .timedOut?, .outOfTime?: true
            default: false
            }
        }
        #expect(client.counters.retries < 49)
    }
}
