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
        try await withCleanup({ await thief.stop() }) { () async throws in
            let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 21, listings: 20) })
            try await withCleanup({ await harness.stop() }) { () async throws in
                harness.server.setFaults {
                    $0.redirects = 6
                    $0.redirectOrigin = thiefURL.absoluteString
                }
                await #expect { try await harness.sync(harness.options(enrichment: .none)) } throws: { error in
                    (error as? SyncFailure)?.message == "/oauth/identity redirected to \(thiefURL.absoluteString)/oauth/identity, which wax does not follow: wax talks to DISCOGS_API_URL's own origin only (nothing of the shop goes elsewhere)"
                }
                #expect(harness.server.stats.redirected == 1, "refused once, not retried")
                #expect(thief.stats.authorizedPaths.isEmpty, "the token reached another origin: \(thief.stats.authorizedPaths)")
                #expect(thief.stats.admitted == 0, "not even the path and the User-Agent go there")
            }
        }
    }

    /// The outbox meets a Discogs that redirects elsewhere: it does not follow, does not retry
    /// for minutes in silence, and says where it was sent (issue 24).
    @Test func theSenderStopsAtARedirectToAnotherOriginAndSaysWhere() async throws {
        let thief = FakeDiscogsServer()
        let thiefURL = try await thief.start()
        try await withCleanup({ await thief.stop() }) { () async throws in
            let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 24, listings: 20) })
            try await withCleanup({ await harness.stop() }) { () async throws in
                try await harness.sync(harness.options(enrichment: .none))
                let listing = harness.server.liveListings()[2]
                _ = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: 3), user: "alice")
                harness.server.setFaults {
                    $0.redirects = 1_000
                    $0.redirectOrigin = thiefURL.absoluteString
                }
                let outcome = await harness.sender().drain()
                guard case .unusable(let reason) = outcome else {
                    Issue.record("expected the sender to stop, got \(outcome)")
                    return
                }
                #expect(reason.contains("redirected to \(thiefURL.absoluteString)/oauth/identity, which wax does not follow"))
                #expect(thief.stats.admitted == 0)
                #expect(try harness.inventory.outbox.openCount() == 1, "the action stays queued for when DISCOGS_API_URL is fixed")
            }
        }
    }

    /// An answer far larger than any Discogs sends is cut off unread (a 200 MB read-back took
    /// `wax sell` to 1.4 GB) and named, as a temporary failure (issue 24).
    @Test func anOversizedAnswerIsCutOffAndNamed() async throws {
        let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 25, listings: 20) }, retry: .quick(attempts: 2))
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.setFaults { $0.oversizedBodies = 2 }
            await #expect { try await harness.client.identity() } throws: { error in
                (error as? DiscogsError) == .answerTooLarge(url: "/oauth/identity", cap: 8 << 20, attempts: 2)
            }
            // Once the fault is over, the same request answers.
            #expect(try await harness.client.identity().username == harness.server.configuration.seller)
        }
    }

    @Test func aRedirectToPlainHTTPElsewhereIsRefusedAndNamed() async throws {
        let harness = try await SyncHarness.start()
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.setFaults {
                $0.redirects = 100
                $0.redirectOrigin = "http://192.0.2.7:8080"      // TEST-NET: never contacted
            }
            await #expect { try await harness.sync() } throws: { error in
                guard let failure = error as? SyncFailure else { return false }
                return failure.message == "/oauth/identity redirected to http://192.0.2.7:8080/oauth/identity, which wax does not follow: wax talks to DISCOGS_API_URL's own origin only (nothing of the shop goes elsewhere)"
            }
            #expect(harness.server.stats.redirected == 1, "refused once, not retried")
        }
    }

    @Test func aDripFeedingServerIsGivenUpOnAndNamed() async throws {
        // Each answer would take minutes at a byte per 50 ms; an attempt may take 1 s.
        let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 22, listings: 20) },
                                                  retry: .quick(attempts: 2), timeout: 1)
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.setFaults { $0.dripInterval = 0.05 }
            let started = ContinuousClock.now
            await #expect { try await harness.sync() } throws: { error in
                guard let failure = error as? SyncFailure else { return false }
                return failure.kind == .failed && failure.message.hasPrefix("/oauth/identity sent no complete answer within 1 s (2 attempts)")
            }
            // Two attempts of 1 s: a minute is a bound no machine load can reach.
            #expect(started.duration(to: .now) < .seconds(60))
            #expect(try harness.inventory.reports.syncRuns().first?.error?.contains("no complete answer") == true)
        }
    }

    @Test func aServerThatNeverAnswersIsGivenUpOn() async throws {
        let harness = try await SyncHarness.start(retry: .quick(attempts: 3), timeout: 1)
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.setFaults { $0.hang = true }
            let started = ContinuousClock.now
            await #expect { try await harness.sync() } throws: { error in
                (error as? SyncFailure)?.message.hasPrefix("/oauth/identity sent no complete answer within 1 s (3 attempts)") == true
            }
            #expect(started.duration(to: .now) < .seconds(60))
        }
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

/// The mirror and the files beside it are the shop's: no other user of the server reads them.
@Suite struct FileModeTests {
    private func mode(_ url: URL) -> Int? {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test func aSyncCreatesEveryFileForItsOwnerOnly() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 23, listings: 30) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            try await harness.sync()
            let db = harness.inventory.database.path
            for suffix in ["", "-wal", "-shm", ".sync-lock", ".sync-rate"] {
                let file = db.deletingLastPathComponent().appendingPathComponent(db.lastPathComponent + suffix)
                #expect(mode(file) == 0o600, "\(file.lastPathComponent) is \(String(mode(file) ?? 0, radix: 8))")
            }
        }
    }

    /// A group other than our primary one that we may give a folder to: any as root, else one
    /// of our supplementary groups.
    static let otherGroup: gid_t? = {
        if geteuid() == 0 { return 4_242 }
        var groups = [gid_t](repeating: 0, count: 64)
        let count = getgroups(Int32(groups.count), &groups)
        return groups.prefix(Int(max(0, count))).first { $0 != getegid() }
    }()

    @Test(.enabled(if: otherGroup != nil, "skipped: this user belongs to no group but its own, so no folder can be given to a staff group"))
    func aStaffGroupsFolderSharesWithTheGroup() throws {
        let dir = TemporaryDirectory()
        let shared = dir.file("shop")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        // The admin gave the folder to the staff group.
        #expect(chown(shared.path, getuid(), Self.otherGroup!) == 0)
        let inventory = try InventoryService.open(at: shared.appendingPathComponent("wax.db"))
        _ = try inventory.importer.importListings([Fixture.listing(1, artist: "A", title: "T")])
        #expect(mode(shared.appendingPathComponent("wax.db")) == 0o660)
        #expect(mode(shared.appendingPathComponent("wax.db.lock")) == 0o660)
        #expect(FilePermissions.worldReadableWarning(shared.appendingPathComponent("wax.db"), what: "the mirror") == nil)
        chmod(shared.appendingPathComponent("wax.db").path, 0o664)
        #expect(FilePermissions.worldReadableWarning(shared.appendingPathComponent("wax.db"), what: "the mirror")?.contains("chmod o-rwx") == true)
    }
}
