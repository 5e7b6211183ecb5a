import FakeDiscogs
import Foundation
import Testing
import WaxConfig
@testable import WaxStore
@testable import WaxSync
import WaxTestSupport

@Suite struct SyncEngineTests {
    @Test func aFirstSyncMirrorsTheFakeFieldByField() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 3, listings: 250) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            let summary = try await harness.sync()
            #expect(summary.added == 250 && summary.updated == 0 && summary.removed == 0 && summary.total == 250)
            #expect(!summary.removalsDeferred)
            let fake = harness.server.liveListings()
            #expect(try harness.inventory.count(ListingQuery()) == fake.count)
            for listing in fake {
                let mirrored = try #require(try harness.inventory.listing(id: listing.id))
                let release = try #require(harness.server.release(id: listing.releaseID))
                let r = mirrored.record
                #expect(r.status.rawValue == listing.status && r.condition == listing.condition && r.sleeveCondition == listing.sleeveCondition)
                #expect(r.priceValue == listing.price && r.priceCurrency == listing.currency && r.shippingPrice == listing.shippingPrice)
                #expect(r.posted == listing.posted && r.comments == (listing.comments.isEmpty ? nil : listing.comments))
                #expect(r.location == (listing.location.isEmpty ? nil : listing.location) && r.weight == listing.weight)
                #expect(r.externalID == (listing.externalID.isEmpty ? nil : listing.externalID))
                #expect(r.allowOffers == listing.allowOffers && r.formatQuantity == listing.formatQuantity)
                #expect(r.artist == release.artistDisplay && r.title == release.title && r.label == release.labelDisplay)
                #expect(r.format == release.formatDisplay && r.year == (release.year == 0 ? nil : release.year))
                #expect(r.releaseID == release.id && r.catalogNumber == release.catalogDisplay)
                // Enrichment filled in what the inventory lacks.
                #expect(mirrored.genres == release.genres && mirrored.styles == release.styles)
                #expect(mirrored.release?.country == release.country)
            }
            #expect(summary.releasesPending == 0 && summary.releasesFetched > 0)
            #expect(try harness.inventory.database.integrityCheck().isEmpty)
            // Genres are searchable and faceted.
            let genre = try #require(try harness.inventory.facets(ListingQuery())[.genre].first)
            var query = ListingQuery()
            query.genre = genre.value
            #expect(try harness.inventory.count(query) == genre.count)
        }
    }

    @Test func aSecondSyncRecordsExactlyWhatChanged() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 4, listings: 300) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            try await harness.sync()
            let ids = harness.server.liveListings().map(\.id)
            let sold = [ids[3], ids[150]], deleted = [ids[299]], repriced = [ids[10], ids[200]]
            for id in sold { harness.server.sell(id) }
            for id in deleted { harness.server.delete(id) }
            let oldPrice = try #require(try harness.inventory.listing(id: repriced[0])?.record.priceValue)
            harness.server.reprice(repriced[0], to: 123.45)
            harness.server.reprice(repriced[1], to: 0.99)
            let added = [harness.server.add(), harness.server.add()]
            let before = Date().addingTimeInterval(-1)

            let summary = try await harness.sync()
            #expect(summary.added == 2 && summary.removed == 3 && summary.updated == 2)
            #expect(summary.unchanged == 300 - 3 - 2 && summary.total == 299)
            for id in sold { #expect(try harness.inventory.listing(id: id)?.removedReason == "sold") }
            #expect(try harness.inventory.listing(id: deleted[0])?.removedReason == "deleted")
            for id in added { #expect(try harness.inventory.listing(id: id)?.isRemoved == false) }
            let changes = try harness.inventory.reports.changes(since: before)
            #expect(changes.filter { $0.kind == .added }.map(\.listingID).sorted() == added.sorted())
            #expect(Set(changes.filter { $0.kind == .removed }.map(\.listingID)) == Set(sold + deleted))
            let price = try #require(changes.first { $0.listingID == repriced[0] && $0.field == "price" })
            #expect(price.oldValue == Money.format(oldPrice, currency: "USD") && price.newValue == "123.45 USD")
            #expect(changes.filter { $0.kind == .updated }.count == 2)      // nothing else "changed"
            let runs = try harness.inventory.reports.syncRuns()
            #expect(runs.first?.outcome == "succeeded" && runs.first?.removed == 3 && runs.first?.added == 2)
        }
    }

    @Test func aListingSoldWhileSyncingCausesNoFalseRemovalAndConverges() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 5, listings: 450) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            try await harness.sync()
            let firstID = try #require(harness.server.liveListings().first?.id)
            // The first listing sells while page 3 is being served: pages 3–5 shift by one, so the
            // listing at the top of page 3 slides onto page 2, which was already read.
            harness.server.setFaults { $0.sellWhenServingPage = 3 }
            let during = try await harness.sync()
            #expect(during.removed == 0)                 // nothing removed on a shifting snapshot
            #expect(during.removalsDeferred)
            #expect(try harness.inventory.count(ListingQuery()) == 450)
            let after = try await harness.sync()
            #expect(after.removed == 1 && !after.removalsDeferred)
            #expect(try harness.inventory.listing(id: firstID)?.removedReason == "sold")
            #expect(Set(try harness.inventory.searchIDs(ListingQuery())) == Set(harness.server.liveListings().map(\.id)))
        }
    }

    @Test func aListingAddedWhileSyncingIsPickedUp() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 6, listings: 250) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.setFaults { $0.addWhenServingPage = 2 }
            let summary = try await harness.sync()
            #expect(summary.added == 251 && summary.removed == 0)
        }
    }

    @Test func transientFaultsAreRetriedToSuccess() async throws {
        // The faults strike consecutive requests, so one request may meet many: allow for it.
        let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 7, listings: 500) }, retry: .quick(attempts: 12))
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.setFaults {
                $0.rateLimitStorm = 4        // empty-bodied 429s
                $0.serverErrors = 3          // 500, 502 (HTML) and 503
                $0.htmlBodies = 2            // 200 with a Cloudflare page
                $0.truncatedBodies = 2       // 200 with half a JSON body
            }
            let summary = try await harness.sync(harness.options(enrichment: .none))
            #expect(summary.added == 500)
            #expect(harness.server.faults == FakeFaults())      // every fault was met, and got through
            #expect(harness.client.counters.retries >= 11)
            #expect(summary.rateLimited == 4, "\(harness.client.counters) \(harness.server.stats)")
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        var retry = RetryPolicy.quick(attempts: 3)
        retry.maxDelay = 5      // Retry-After is honoured up to the policy's longest wait
        let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 8, listings: 50) }, retry: retry)
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.setFaults {
                $0.rateLimitStorm = 1
                $0.retryAfterSeconds = 1
            }
            let start = harness.clock.now()
            try await harness.sync(harness.options(enrichment: .none))
            #expect(harness.clock.now() - start >= 1)    // the server's 1 s, not the quick policy's 20 ms
        }
    }

    @Test func aServerThatKeepsFailingFailsInBoundedTimeAndChangesNothing() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 9, listings: 300) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            try await harness.sync()
            let generation = try harness.inventory.generation()
            let ids = harness.server.liveListings().map(\.id)
            harness.server.sell(ids[0])
            harness.server.setFaults { $0.alwaysFail = true }
            let start = harness.clock.now()
            let requestsBefore = harness.client.counters.requests
            await #expect { try await harness.sync() } throws: { error in
                guard let failure = error as? SyncFailure else { return false }
                return failure.kind == .failed && failure.message.contains("kept failing (HTTP 503)")
            }
            // Six attempts, then it stops; the waits between them are the quick policy's, no more.
            #expect(harness.client.counters.requests - requestsBefore == 6)
            #expect(harness.clock.now() - start < 1)
            #expect(try harness.inventory.generation() == generation)              // no listing touched
            #expect(try harness.inventory.listing(id: ids[0])?.isRemoved == false)
            let run = try #require(try harness.inventory.reports.syncRuns().first)
            #expect(run.outcome == "failed" && run.error?.contains("503") == true)
            if case .failed? = harness.events.withLock({ $0.last }) {} else { Issue.record("no failed event") }
        }
    }

    @Test func aBadTokenStopsAtOnce() async throws {
        let secret = "wrong-\(UUID().uuidString)"
        let harness = try await SyncHarness.start(token: secret)
        try await withCleanup({ await harness.stop() }) { () async throws in
            await #expect { try await harness.sync() } throws: { error in
                guard let failure = error as? SyncFailure else { return false }
                return failure.kind == .tokenRejected && failure.message.hasPrefix("Discogs rejected the token") && !failure.message.contains(secret)
            }
            #expect(harness.server.stats.admitted == 0 || harness.client.counters.requests == 1)
            #expect(try harness.inventory.reports.syncRuns().first?.error?.contains(secret) == false)
            #expect(harness.logs.text.contains("rejected the token") && !harness.logs.text.contains(secret))
        }
    }

    @Test func anUnknownSellerIsNamed() async throws {
        let harness = try await SyncHarness.start()
        try await withCleanup({ await harness.stop() }) { () async throws in
            var options = harness.options()
            options.seller = "nobody_at_all"
            await #expect { try await harness.sync(options) } throws: { error in
                "\(error)" == "no Discogs seller named \"nobody_at_all\": check DISCOGS_SELLER_USERNAME"
            }
        }
    }

    @Test func aSecondSyncOnTheSameDatabaseIsTurnedAway() async throws {
        let harness = try await SyncHarness.start()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let held = try SyncLock.acquire(forDatabase: harness.inventory.database.path, trigger: "key")
            await #expect { try await harness.sync() } throws: { error in
                guard let failure = error as? SyncFailure else { return false }
                return failure.kind == .busy && failure.message.contains("pid \(getpid())") && failure.message.contains("key")
            }
            withExtendedLifetime(held) {}
        }
    }

    @Test func theLockIsFreedWhenItsHolderGoes() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 10, listings: 20) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            var holder: SyncLock? = try SyncLock.acquire(forDatabase: harness.inventory.database.path, trigger: "key")
            await #expect { try await harness.sync() } throws: { ($0 as? SyncFailure)?.kind == .busy }
            #expect(SyncLock.holder(forDatabase: harness.inventory.database.path, job: .sync)?.contains("key") == true)
            withExtendedLifetime(holder) {}
            holder = nil
            #expect(SyncLock.holder(forDatabase: harness.inventory.database.path, job: .sync) == nil)
            let summary = try await harness.sync()
            #expect(summary.added == 20)
        }
    }

    @Test func aSyncHoldsOnlyWhatChangedSinceTheMirrorWasWritten() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 13, listings: 260) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            try await harness.sync(harness.options(enrichment: .none))
            let live = harness.server.liveListings()
            #expect(harness.server.reprice(live[3].id, to: 77) && harness.server.reprice(live[200].id, to: 78))
            let snapshot = try await harness.engine.takeSnapshot(harness.options(), owner: true, mirror: try harness.inventory.syncStore.fingerprints()) { _ in }
            #expect(snapshot.count == 260 && snapshot.trustworthy)
            #expect(Set(snapshot.listings.ids) == [live[3].id, live[200].id])
            let summary = try await harness.sync(harness.options(enrichment: .none))
            #expect(summary.updated == 2 && summary.unchanged == 258 && summary.removed == 0 && summary.total == 260)
            #expect(try harness.inventory.listing(id: live[200].id)?.record.priceValue == 78)
        }
    }

    @Test func aNonOwnerIsToldHowManyListingsItCannotReach() async throws {
        let harness = try await SyncHarness.start({
            $0.inventory = .generated(seed: 11, listings: 260)
            $0.pageCap = 2
        }, token: "fake-visitor-token")
        try await withCleanup({ await harness.stop() }) { () async throws in
            let summary = try await harness.sync(harness.options(enrichment: .none))
            #expect(summary.added == 200 && summary.unreachable == 60 && summary.removalsDeferred)
            // The run's record says so too (what `wax stats` and the changes view show).
            #expect(try harness.inventory.reports.stats().lastSync?.unreachable == 60)
            #expect(try harness.inventory.listing(id: harness.server.liveListings()[0].id)?.record.location == nil)   // no owner fields
        }
    }

    @Test func theOwnerOfABigInventoryCompletesItWithAnExport() async throws {
        let harness = try await SyncHarness.start {
            $0.inventory = .generated(seed: 12, listings: 260)
            $0.pageCap = 2
            $0.ownerIsCapped = true
            $0.exportPolls = 2
        }
        try await withCleanup({ await harness.stop() }) { () async throws in
            var options = harness.options(enrichment: .none)
            options.exportPollInterval = 0.01
            let summary = try await harness.sync(options)
            #expect(summary.added == 260 && summary.unreachable == 0 && !summary.removalsDeferred)
            let last = try #require(harness.server.liveListings().last)
            let mirrored = try #require(try harness.inventory.listing(id: last.id)?.record)
            #expect(mirrored.priceValue == (last.price * 100).rounded() / 100 && mirrored.priceCurrency == "USD")
            // The export makes removals trustworthy again.
            harness.server.sell(last.id)
            let second = try await harness.sync(options)
            #expect(second.removed == 1)
        }
    }

    @Test func theRateWindowIsNeverExceeded() async throws {
        // 12 requests a second at most; a sync needs ~35: it must wait, never draw a 429.
        let harness = try await SyncHarness.start {
            $0.inventory = .generated(seed: 13, listings: 300)
            $0.rateLimit = 12
            $0.rateWindow = 1
        }
        try await withCleanup({ await harness.stop() }) { () async throws in
            let summary = try await harness.sync(harness.options(enrichment: .all))
            #expect(harness.server.stats.rateLimited == 0)
            #expect(harness.server.stats.peakInWindow <= 12)
            #expect(summary.requests > 24 && summary.rateLimited == 0)
            #expect(harness.events.withLock { $0.contains { if case .waitingForRateLimit = $0 { true } else { false } } }, "\(harness.events.withLock { $0.suffix(8) }) waited \(harness.client.counters.waitedSeconds)")
        }
    }

    @Test func budgetEnrichmentStopsAtTheWindowAndResumes() async throws {
        let harness = try await SyncHarness.start {
            $0.inventory = .generated(seed: 14, listings: 150)
            $0.rateLimit = 20
            $0.rateWindow = 1
        }
        try await withCleanup({ await harness.stop() }) { () async throws in
            let first = try await harness.sync(harness.options(enrichment: .budget))
            #expect(first.releasesFetched > 0 && first.releasesPending > 0)
            #expect(first.enrichmentNote?.contains("left for the next sync") == true)
            harness.clock.advance(by: 1.1)
            let second = try await harness.sync(harness.options(enrichment: .budget))
            #expect(second.releasesPending < first.releasesPending)
        }
    }

    /// A first sync spools the shop to a file beside the mirror past `spoolPast` listings; the
    /// mirror it leaves is the one a sync holding everything in memory leaves, first and hourly.
    @Test func aShopSpooledToDiskIsMirroredAsOneHeldInMemory() async throws {
        var dumps: [[String]] = []
        for spoolPast in [Int.max, 0, 100] {
            let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 14, listings: 260) }
            try await withCleanup({ await harness.stop() }) { () async throws in
                var options = harness.options(enrichment: .none)
                options.spoolPast = spoolPast
                let first = try await harness.sync(options)
                #expect(first.added == 260 && first.total == 260)
                let live = harness.server.liveListings()
                #expect(harness.server.reprice(live[7].id, to: 61.5))
                harness.server.sell(live[100].id)
                let again = try await harness.sync(options)
                #expect(again.updated == 1 && again.removed == 1 && again.unchanged == 258)
                dumps.append(try harness.inventory.database.read { db in
                    try String.fetchAll(db, sql: """
                        SELECT l.listing_id || ' ' || l.content_hash || ' ' || l.seq || ' ' || coalesce(l.removed_reason, '') || ' ' || length(r.json)
                        FROM listings l JOIN listing_raw r USING (listing_id) ORDER BY l.listing_id
                        """)
                })
            }
        }
        #expect(dumps.count == 3 && dumps[0].count == 260)
        #expect(dumps[1] == dumps[0] && dumps[2] == dumps[0])
    }

    /// A spool that cannot be written fails the sync in one line naming the folder, and leaves
    /// the mirror as it was.
    @Test func aSpoolThatCannotBeWrittenLeavesTheMirrorAsItWas() async throws {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 15, listings: 120) }
        try await withCleanup({ await harness.stop() }) { () async throws in
            try await harness.sync(harness.options(enrichment: .none))
            let generation = try harness.inventory.generation()
            let live = harness.server.liveListings()
            #expect(harness.server.reprice(live[0].id, to: 3.21))
            let folder = TemporaryDirectory()
            var options = harness.options(enrichment: .none)
            options.spoolPast = 0
            options.spoolDirectory = folder.url.appendingPathComponent("not-there")
            await #expect { try await harness.sync(options) } throws: { error in
                guard let failure = error as? SyncFailure else { return false }
                return failure.message.contains("not-there") && failure.message.contains("No such file") && !failure.message.contains("\n")
            }
            #expect(try harness.inventory.generation() == generation)
            #expect(try harness.inventory.listing(id: live[0].id)?.record.priceValue != 3.21)
            #expect(try harness.inventory.reports.syncRuns().first?.outcome == "failed")
        }
    }
}
