import FakeDiscogs
import Foundation
import Testing
import WaxConfig
import WaxStore
@testable import WaxSync
import WaxTestSupport

/// Reprice runs against the fake Discogs: a small run as edits, a large one as one change job
/// checked before and verified after, conflicts row by row, undo as an inverse run (issue 20).
@Suite struct RepriceTests {
    private func shop(listings: Int = 80) async throws -> SyncHarness {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 20, listings: listings) }
        try await harness.sync(harness.options(enrichment: .none))
        return harness
    }

    /// The first `count` single-copy listings For Sale, as a rule sees them.
    private func plan(_ harness: SyncHarness, _ rule: RepriceRule, count: Int) throws -> RepricePlan {
        let ids = harness.server.liveListings().filter { $0.quantity == 1 }.prefix(count).map(\.id)
        let candidates = try harness.inventory.reprice.candidates(ids: Array(ids))
        return RepricePlanner.plan(candidates, rule: rule, selection: "test", shopCurrency: "USD", priceLimit: 10_000)
    }

    private func fakePrice(_ harness: SyncHarness, _ id: Int64) -> Double? {
        harness.server.allListings().first { $0.listing.id == id }?.listing.price
    }

    @Test func aSmallRunGoesAsEditsEachReadBeforeItIsWritten() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let plan = try plan(harness, RepriceRule(.percent(10)), count: 5)
            #expect(plan.items.count == 5 && plan.up == 5)
            let run = try harness.inventory.reprice.record(plan, user: "bob")
            #expect(run.method == .edits && run.total == 5)
            #expect(await harness.sender().drain() == .done(confirmed: 5, refused: 0))
            let items = try harness.inventory.reprice.items(run: run.id)
            #expect(items.allSatisfy { $0.state == .confirmed })
            for item in items { #expect(fakePrice(harness, item.listingID) == item.newPrice) }
            #expect(harness.server.stats.writes.filter { $0.method == "POST" }.count == 5)
        }
    }

    @Test func aLargeRunIsOneJobCheckedBeforeAndVerifiedAfter() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let plan = try plan(harness, RepriceRule(.percent(-15), rounding: .ending(0.99), floor: 1), count: 60)
            #expect(plan.items.count == 60)
            // Changed on the website after the preview: refused as a conflict, left as it is.
            let changed = plan.items[3].listingID
            _ = harness.server.reprice(changed, to: 77.77)
            // A row Discogs will not apply: failed and named.
            let failing = plan.items[7].listingID
            harness.server.setFaults { $0.uploadFailingListings = [failing] }
            let run = try harness.inventory.reprice.record(plan, user: "bob")
            #expect(run.method == .job)
            let sender = harness.sender()
            // Discogs takes the job; while it processes, the sender goes on with other actions.
            #expect(await sender.drain() == .done(confirmed: 0, refused: 0))
            #expect(try harness.inventory.reprice.run(id: run.id)?.jobURL != nil)
            let other = try #require(harness.server.liveListings().first { $0.quantity == 1 && !plan.items.map(\.listingID).contains($0.id) })
            let move = try harness.inventory.outbox.enqueue(ActionRequest(.move, listingID: other.id, location: "Z1"), user: "ann")
            #expect(await sender.drain() == .done(confirmed: 1, refused: 0), "a staff action never waits behind a job")
            #expect(try harness.inventory.outbox.action(id: move.id)?.state == .confirmed)
            let uploads = harness.server.stats.writes.filter { $0.method == "UPLOAD" }
            #expect(uploads.isEmpty, "not applied until Discogs finished the job")

            harness.advance(10)
            #expect(await sender.drain() == .done(confirmed: 1, refused: 0))
            let items = Dictionary(try harness.inventory.reprice.items(run: run.id).map { ($0.listingID, $0) }, uniquingKeysWith: { a, _ in a })
            #expect(items[changed]?.state == .conflict && items[changed]?.message?.contains("77.77") == true)
            #expect(fakePrice(harness, changed) == 77.77, "the website's price was kept")
            #expect(items[failing]?.state == .failed && items[failing]?.message?.contains("could not be updated") == true)
            let confirmed = items.values.filter { $0.state == .confirmed }
            #expect(confirmed.count == 58)
            for item in confirmed {
                #expect(fakePrice(harness, item.listingID) == item.newPrice)
                #expect(try harness.inventory.listing(id: item.listingID)?.record.priceValue == item.newPrice, "the mirror took the verified price")
            }
            // 58 rows in one job: the upload counted once per listing changed, one request.
            #expect(harness.server.stats.writes.filter { $0.method == "UPLOAD" }.count == 58)
            let history = try harness.inventory.reports.changes(since: Date(timeIntervalSince1970: 0)).filter { $0.field == "price" && $0.user == "bob" }
            #expect(history.count >= 58)
            let action = try #require(try harness.inventory.outbox.actions(openOnly: false, limit: 10).first { $0.kind == .priceRun })
            #expect(action.state == .confirmed && action.message?.contains("58 repriced, 1 failed, 1 changed on Discogs") == true, "\(action.message ?? "")")

            // Undo: the inverse run, previewed the same way, puts the old prices back.
            let undo = try harness.inventory.reprice.inverse(of: run.id)
            #expect(undo.items.count == 58 && undo.undoes == run.id)
            let undoRun = try harness.inventory.reprice.record(undo, user: "bob")
            #expect(undoRun.undoes == run.id && undoRun.method == .job)
            _ = await sender.drain()
            harness.advance(10)
            _ = await sender.drain()
            for item in confirmed { #expect(fakePrice(harness, item.listingID) == item.oldPrice) }
        }
    }

    /// A job posted by a sender that died before recording it: the retry reads Discogs first,
    /// and rows already at their new price are not sent again.
    @Test func aRetriedJobSendsOnlyWhatDiscogsDoesNotHoldYet() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let plan = try plan(harness, RepriceRule(.set(12)), count: 55)
            let run = try harness.inventory.reprice.record(plan, user: "bob")
            for item in plan.items.prefix(30) { _ = harness.server.reprice(item.listingID, to: item.newPrice) }
            let sender = harness.sender()
            _ = await sender.drain()
            harness.advance(10)
            _ = await sender.drain()
            #expect(plan.items.count > 50)
            #expect(harness.server.stats.writes.filter { $0.method == "UPLOAD" }.count == plan.items.count - 30, "only those not yet at 12.00 went in the job")
            #expect(try harness.inventory.reprice.items(run: run.id).allSatisfy { $0.state == .confirmed })
        }
    }

    /// Discogs down when the job is due: the run waits in the outbox, nothing half-sent, and
    /// goes through once Discogs answers again.
    @Test func aJobWaitsWhileDiscogsIsDownAndGoesWhenItIsBack() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let plan = try plan(harness, RepriceRule(.percent(5)), count: 55)
            let run = try harness.inventory.reprice.record(plan, user: "bob")
            harness.server.setFaults { $0.alwaysFail = true }
            let sender = harness.sender()
            guard case .waiting = await sender.drain() else {
                Issue.record("a run sent while Discogs is down did not wait")
                return
            }
            #expect(try harness.inventory.reprice.run(id: run.id)?.jobURL == nil, "no job was posted")
            #expect(try harness.inventory.reprice.items(run: run.id).allSatisfy { $0.state.isOpen })
            harness.server.setFaults { $0.alwaysFail = false }
            harness.advance(3_600)
            _ = await sender.drain()
            harness.advance(10)
            _ = await sender.drain()
            let items = try harness.inventory.reprice.items(run: run.id)
            #expect(items.allSatisfy { $0.state == .confirmed })
            for item in items { #expect(fakePrice(harness, item.listingID) == item.newPrice) }
        }
    }

    @Test func aJobDiscogsRefusesWholeFailsEveryRowAndChangesNothing() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.setFaults { $0.rejectUploads = true }
            let plan = try plan(harness, RepriceRule(.percent(5)), count: 55)
            let run = try harness.inventory.reprice.record(plan, user: "bob")
            #expect(await harness.sender().drain() == .done(confirmed: 0, refused: 1))
            let items = try harness.inventory.reprice.items(run: run.id)
            #expect(items.allSatisfy { $0.state == .failed } && items.first?.message?.contains("could not be processed") == true, "\(items.first?.message ?? "")")
            for item in items { #expect(fakePrice(harness, item.listingID) == item.oldPrice) }
        }
    }
}
