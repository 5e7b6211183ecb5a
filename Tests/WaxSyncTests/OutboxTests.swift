import FakeDiscogs
import Foundation
import Testing
import WaxConfig
import WaxJSON
import WaxStore
@testable import WaxSync
import WaxTestSupport

/// The counter's actions through the outbox, against the fake Discogs over real HTTP (issue 11).
@Suite struct OutboxTests {
    /// A synced mirror of a small fake shop, and a listing with every optional field filled.
    private func shop() async throws -> (SyncHarness, FakeListing) {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 11, listings: 60) }
        try await harness.sync(harness.options(enrichment: .none))
        let full = try #require(harness.server.liveListings().first {
            !$0.comments.isEmpty && !$0.location.isEmpty && !$0.externalID.isEmpty && !$0.sleeveCondition.isEmpty && $0.quantity == 1
        })
        return (harness, full)
    }

    private func fakeListing(_ harness: SyncHarness, _ id: Int64) throws -> FakeListing {
        try #require(harness.server.allListings().first { $0.listing.id == id }).listing
    }

    @Test func aRepriceReadsFirstSendsEveryFieldBackAndIsConfirmedOnce() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let action = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: 7.5), user: "bob")
            #expect(action.state == .queued && action.expected.price == listing.price && action.change.price == 7.5)
            // The mirror shows the new price at once, marked as waiting.
            #expect(try harness.inventory.listing(id: listing.id)?.record.priceValue == 7.5)
            #expect(try harness.inventory.outbox.openCount() == 1)

            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            let writes = harness.server.stats.writes
            try #require(writes.count == 1)
            let write = writes[0]
            #expect(write.method == "POST" && write.listingID == listing.id)
            // Every optional field went back as Discogs held it: only the price moved.
            var expected = listing
            expected.price = 7.5
            #expect(write.after == expected)
            for field in ["release_id", "condition", "price", "status", "sleeve_condition", "comments", "external_id", "location", "weight",
                          "format_quantity", "allow_offers"] {
                #expect(write.body[field] != nil, "the edit left out \(field), which Discogs would clear")
            }
            #expect(try harness.inventory.outbox.action(id: action.id)?.state == .confirmed)
            #expect(try harness.inventory.outbox.openCount() == 0)
            // Nothing left: draining again sends nothing.
            #expect(await harness.sender().drain() == .done(confirmed: 0, refused: 0))
            #expect(harness.server.stats.writes.count == 1)
            let history = try harness.inventory.reports.changes(since: Date(timeIntervalSince1970: 0)).filter { $0.listingID == listing.id }
            #expect(history.contains { $0.field == "price" && $0.user == "bob" && $0.newValue == "7.50 USD" })
        }
    }

    /// What the shop changed on the website after the last sync (comments, bin, sleeve) is
    /// still there after a reprice from wax: the edit's body is read from Discogs just before,
    /// every field, not from the mirror (which still holds the old values).
    @Test func websiteEditsSurviveARepriceFromWax() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.update(listing.id) {
                $0.comments = "Signed by the band on the website"
                $0.location = "WEB-7"
                $0.sleeveCondition = "Near Mint (NM or M-)"
            }
            let mirrored = try #require(try harness.inventory.listing(id: listing.id)).record
            #expect(mirrored.comments == listing.comments && mirrored.location == listing.location, "the mirror has not seen the website's edit")
            let action = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: listing.price + 5), user: "bob")
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            let onDiscogs = try fakeListing(harness, listing.id)
            #expect(onDiscogs.price == listing.price + 5)
            #expect(onDiscogs.comments == "Signed by the band on the website")
            #expect(onDiscogs.location == "WEB-7")
            #expect(onDiscogs.sleeveCondition == "Near Mint (NM or M-)")
            #expect(try harness.inventory.outbox.action(id: action.id)?.state == .confirmed)
            // And the mirror took the website's values from the read back.
            let after = try #require(try harness.inventory.listing(id: listing.id)).record
            #expect(after.comments == "Signed by the band on the website" && after.location == "WEB-7")
        }
    }

    /// A confirmation changes the outbox, not the listings: no browser rebuilds its index for
    /// it (issue 18; each used to).
    @Test func aConfirmationLeavesTheListingsCounterAlone() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: listing.price + 2), user: "bob")
            let queued = try harness.inventory.changeCounters()
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            #expect(try harness.inventory.changeCounters().changes(since: queued) == [.outbox])
        }
    }

    /// Every listing wax reads fresh replaces the mirror's copy (issue 23): the website
    /// changed the price and the bin; the reprice is refused as a conflict, and the mirror takes
    /// the bin as well as the price. After a confirmed reprice, comments edited on the website
    /// meanwhile are in the mirror too (it kept the old ones until the next sync).
    @Test func whatTheSenderReadsReplacesTheMirrorsCopy() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            harness.server.update(listing.id) { $0.price = 31; $0.location = "WEB1" }
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: 9), user: "alice")
            _ = await harness.sender().drain()
            var mirrored = try #require(try harness.inventory.listing(id: listing.id)).record
            #expect(mirrored.priceValue == 31 && mirrored.location == "WEB1", "price \(mirrored.priceValue ?? 0), bin \(mirrored.location ?? "none")")
            let history = try harness.inventory.reports.changes(since: .distantPast).filter { $0.listingID == listing.id }
            #expect(history.contains { $0.field == "location" && $0.newValue == "WEB1" }, "the change is recorded")

            harness.server.update(listing.id) { $0.comments = "edited on the website" }
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: 29), user: "alice")
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            mirrored = try #require(try harness.inventory.listing(id: listing.id)).record
            #expect(mirrored.priceValue == 29 && mirrored.comments == "edited on the website")
            // Read again with nothing new: nothing is written (no generation for browsers to reload).
            let generation = try harness.inventory.generation()
            guard case .present(let again) = try await harness.client.listing(id: listing.id) else {
                Issue.record("the listing is gone from the fake")
                return
            }
            try harness.inventory.outboxQueue.refresh(again)
            #expect(try harness.inventory.generation() == generation)
        }
    }

    @Test func aCounterSaleIsADraftTheSyncDoesNotBringBackAndUndoPutsItBackOnSale() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.sell, listingID: listing.id), user: "alice")
            let sold = try #require(try harness.inventory.listing(id: listing.id))
            #expect(sold.removedReason == "sold in shop")
            // A sync while the sale is still queued: Discogs still says For Sale, the mirror keeps it sold.
            let during = try await harness.sync(harness.options(enrichment: .none))
            #expect(during.added == 0 && during.updated == 0)
            #expect(try harness.inventory.listing(id: listing.id)?.removedReason == "sold in shop")

            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            #expect(harness.server.stats.writes.last?.status == "Draft")
            #expect(!harness.server.liveListings().contains { $0.id == listing.id })
            _ = try await harness.sync(harness.options(enrichment: .none))
            #expect(try harness.inventory.listing(id: listing.id)?.removedReason == "sold in shop")

            // A sale by mistake: undo lists it again.
            guard case .queued(let undo, let undoing) = try harness.inventory.outbox.undoLast(user: "alice") else {
                Issue.record("undo did not queue an action")
                return
            }
            #expect(undoing.kind == .sell && undo.kind == .release)
            #expect(try harness.inventory.listing(id: listing.id)?.isRemoved == false)
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            #expect(harness.server.liveListings().contains { $0.id == listing.id })
            #expect(try fakeListing(harness, listing.id).comments == listing.comments, "release sent every field back too")
            #expect(throws: ActionRefusal.self) { try harness.inventory.outbox.undoLast(user: "bob") }
        }
    }

    @Test func aPriceChangedOnTheWebsiteIsAConflictAndNothingIsOverwritten() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let action = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: 5), user: "bob")
            harness.server.reprice(listing.id, to: 12.34)
            #expect(await harness.sender().drain() == .done(confirmed: 0, refused: 1))
            let refused = try #require(try harness.inventory.outbox.action(id: action.id))
            #expect(refused.state == .conflict)
            #expect(refused.message?.contains("12.34 USD") == true && refused.message?.contains("\(String(format: "%.2f", listing.price)) USD") == true)
            #expect(harness.server.stats.writes.isEmpty)
            // The mirror shows what Discogs has, not the refused price.
            #expect(try harness.inventory.listing(id: listing.id)?.record.priceValue == 12.34)
        }
    }

    @Test func sellingWhatWasBoughtOnlineIsFlaggedAsADoubleSale() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let first = try harness.inventory.outbox.enqueue(ActionRequest(.sell, listingID: listing.id), user: "alice")
            harness.server.sell(listing.id)                      // bought online a moment earlier
            #expect(await harness.sender().drain() == .done(confirmed: 0, refused: 1))
            let refused = try #require(try harness.inventory.outbox.action(id: first.id))
            #expect(refused.state == .conflict && refused.message?.hasPrefix("SOLD ON DISCOGS TOO") == true)
            #expect(try harness.inventory.listing(id: listing.id)?.removedReason == "sold on Discogs")

            // Sold on the website between wax's read and its write: Discogs refuses the edit (422).
            let other = try #require(harness.server.liveListings().first { $0.id != listing.id && $0.quantity == 1 })
            let second = try harness.inventory.outbox.enqueue(ActionRequest(.sell, listingID: other.id), user: "alice")
            harness.server.setFaults { $0.sellBeforeWrite = other.id }
            #expect(await harness.sender().drain() == .done(confirmed: 0, refused: 1))
            #expect(try harness.inventory.outbox.action(id: second.id)?.message?.hasPrefix("SOLD ON DISCOGS TOO") == true)
            #expect(harness.server.stats.writes.isEmpty)
        }
    }

    @Test func whileDiscogsIsDownActionsWaitInOrderAndGoOutOnceItIsBack() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let others = harness.server.liveListings().filter { $0.id != listing.id && $0.quantity == 1 }.prefix(2)
            let ids = try [
                harness.inventory.outbox.enqueue(ActionRequest(.move, listingID: listing.id, location: "Z9"), user: "bob").id,
                harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: others.first!.id, price: 3.25), user: "bob").id,
                harness.inventory.outbox.enqueue(ActionRequest(.hold, listingID: others.last!.id, note: "for Anna"), user: "carol").id,
            ]
            harness.server.setFaults { $0.alwaysFail = true }
            let sender = harness.sender()
            guard case .waiting(_, _, let open) = await sender.drain() else {
                Issue.record("a drain against a down Discogs did not wait")
                return
            }
            #expect(open == 3)
            #expect(try harness.inventory.outbox.action(id: ids[0])?.message?.contains("waiting for Discogs") == true)
            // Not due yet: nothing is attempted.
            let requests = harness.server.stats.admitted
            _ = await sender.drain()
            #expect(harness.server.stats.admitted == requests)
            harness.server.setFaults { $0.alwaysFail = false }
            harness.advance(3_600)
            #expect(await sender.drain() == .done(confirmed: 3, refused: 0))
            #expect(harness.server.stats.writes.map(\.listingID) == [listing.id, others.first!.id, others.last!.id])
            #expect(try fakeListing(harness, listing.id).location == "Z9")
            #expect(try harness.inventory.outbox.hold(of: others.last!.id)?.note == "for Anna")
        }
    }

    @Test func aWriteWhoseAnswerWasLostIsConfirmedWithoutWritingAgain() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let action = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: 9.99), user: "bob")
            harness.server.setFaults { $0.lostWriteResponses = 1 }
            let sender = harness.sender()
            guard case .waiting = await sender.drain() else {
                Issue.record("a lost answer did not postpone the action")
                return
            }
            #expect(harness.server.stats.writes.count == 1)
            harness.advance(3_600)
            #expect(await sender.drain() == .done(confirmed: 1, refused: 0))
            #expect(harness.server.stats.writes.count == 1, "the change was already on Discogs: no second write")
            #expect(try harness.inventory.outbox.action(id: action.id)?.attempts == 2)

            // The same for a delete (WAX_SOLD_IN_SHOP=delete).
            let other = try #require(harness.server.liveListings().first { $0.id != listing.id && $0.quantity == 1 })
            let sale = try harness.inventory.outbox.enqueue(ActionRequest(.sell, listingID: other.id, soldInShop: .delete), user: "bob")
            harness.server.setFaults { $0.lostWriteResponses = 1 }
            _ = await sender.drain()
            harness.advance(3_600)
            #expect(await sender.drain() == .done(confirmed: 1, refused: 0))
            #expect(harness.server.stats.writes.filter { $0.method == "DELETE" }.count == 1)
            #expect(try harness.inventory.outbox.action(id: sale.id)?.state == .confirmed)
        }
    }

    @Test func rateLimitedAndFailingWritesAreRetriedAndLandOnce() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let action = try harness.inventory.outbox.enqueue(ActionRequest(.comment, listingID: listing.id, comments: "Clean copy"), user: "bob")
            harness.server.setFaults { $0.rateLimitedWrites = 1; $0.writeFailures = 1 }
            let sender = harness.sender()
            for _ in 0..<4 where try harness.inventory.outbox.action(id: action.id)?.state != .confirmed {
                _ = await sender.drain()
                harness.advance(3_600)
            }
            #expect(try harness.inventory.outbox.action(id: action.id)?.state == .confirmed)
            #expect(harness.server.stats.writes.count == 1)
            #expect(try fakeListing(harness, listing.id).comments == "Clean copy")
        }
    }

    @Test func anotherUsersTokenCannotAct() async throws {
        let harness = try await SyncHarness.start({ $0.inventory = .generated(seed: 11, listings: 20) }, token: "fake-visitor-token")
        try await withCleanup({ await harness.stop() }) { () async throws in
            try await harness.sync(harness.options(enrichment: .none))
            let listing = try #require(harness.server.liveListings().first)
            let action = try harness.inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: 4), user: "bob")
            guard case .unusable(let reason) = await harness.sender().drain() else {
                Issue.record("a visitor's token was used to act")
                return
            }
            #expect(reason.contains("a_visitor") && reason.contains("freakinbeats"))
            #expect(try harness.inventory.outbox.action(id: action.id)?.state == .failed)
            #expect(harness.server.stats.writes.isEmpty)
            #expect(try harness.inventory.listing(id: listing.id)?.record.priceValue == listing.price, "the mirror is put back")
        }
    }

    @Test func aHeldListingStaysThroughSyncsAndReleaseBringsItBack() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.hold, listingID: listing.id, note: "Saturday"), user: "carol")
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            #expect(!harness.server.liveListings().contains { $0.id == listing.id })
            let summary = try await harness.sync(harness.options(enrichment: .none))
            #expect(summary.removed == 0)
            let held = try #require(try harness.inventory.listing(id: listing.id))
            #expect(!held.isRemoved && held.record.status == "Draft")
            #expect(try harness.inventory.outbox.hold(of: listing.id)?.user == "carol")
            #expect(throws: ActionRefusal.self) { try harness.inventory.outbox.enqueue(ActionRequest(.hold, listingID: listing.id), user: "bob") }

            _ = try harness.inventory.outbox.enqueue(ActionRequest(.release, listingID: listing.id), user: "carol")
            #expect(try harness.inventory.outbox.hold(of: listing.id) == nil)
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            #expect(harness.server.liveListings().contains { $0.id == listing.id })
            _ = try await harness.sync(harness.options(enrichment: .none))
            #expect(try harness.inventory.listing(id: listing.id)?.record.status == "For Sale")
        }
    }

    @Test func badRequestsAreRefusedWithOneLineAndNothingQueued() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let inventory = harness.inventory
            func refusal(_ request: ActionRequest) -> ActionRefusal? {
                do {
                    _ = try inventory.outbox.enqueue(request, user: "bob")
                    return nil
                } catch let refusal as ActionRefusal {
                    return refusal
                } catch {
                    Issue.record("not a refusal: \(error)")
                    return nil
                }
            }
            #expect(refusal(ActionRequest(.price, listingID: listing.id, price: 0))?.cause == .usage)
            #expect(refusal(ActionRequest(.price, listingID: listing.id, price: -3))?.cause == .usage)
            #expect(refusal(ActionRequest(.price, listingID: listing.id, price: 5, currency: "EUR"))?.description.contains("priced in USD") == true)
            #expect(refusal(ActionRequest(.price, listingID: 999, price: 5))?.reason == .noListing(999))
            #expect(refusal(ActionRequest(.price, listingID: 999, price: 5))?.description == "no listing 999 in the mirror")
            #expect(refusal(ActionRequest(.price, listingID: listing.id, price: listing.price))?.reason
                    == .unchanged(listing: listing.id, .price, .money(listing.price, currency: "USD")))
            #expect(refusal(ActionRequest(.move, listingID: listing.id, location: String(repeating: "x", count: 300)))?.cause == .usage)
            #expect(refusal(ActionRequest(.release, listingID: listing.id))?.description.contains("not held") == true)
            let copies = try #require(harness.server.liveListings().first { $0.id != listing.id })
            harness.server.update(copies.id) { $0.quantity = 3 }
            try await harness.sync(harness.options(enrichment: .none))
            #expect(refusal(ActionRequest(.sell, listingID: copies.id))?.description.contains("3 copies") == true)
            // What the staff member saw is not what the mirror holds now.
            #expect(refusal(ActionRequest(.price, listingID: listing.id, price: 5, seen: ListingFields(price: listing.price + 1)))?
                .description.contains("changed since you looked") == true)
            _ = try inventory.outbox.enqueue(ActionRequest(.sell, listingID: listing.id), user: "bob")
            #expect(refusal(ActionRequest(.price, listingID: listing.id, price: 5))?.description.contains("not for sale any more") == true)
            #expect(try inventory.outbox.openCount() == 1)
        }
    }

    @Test func undoCancelsWhatHasNotLeftYet() async throws {
        let (harness, listing) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            _ = try harness.inventory.outbox.enqueue(ActionRequest(.move, listingID: listing.id, location: "Q1"), user: "dan")
            guard case .cancelled(let cancelled) = try harness.inventory.outbox.undoLast(user: "dan") else {
                Issue.record("undo of a queued action did not cancel it")
                return
            }
            #expect(cancelled.state == .cancelled)
            #expect(try harness.inventory.listing(id: listing.id)?.record.location == listing.location)
            #expect(await harness.sender().drain() == .done(confirmed: 0, refused: 0))
            #expect(harness.server.stats.writes.isEmpty)
        }
    }

    @Test func oneSenderAtATimePerDatabase() async throws {
        let (harness, _) = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let held = try DatabaseLock.acquire(forDatabase: harness.inventory.database.path, job: .outbox, trigger: "test")
            guard case .busy(let holder) = await harness.sender().drain() else {
                Issue.record("a second sender did not see the first")
                return
            }
            #expect(holder.contains("pid \(getpid())"))
            #expect(DatabaseLock.holder(forDatabase: harness.inventory.database.path, job: .outbox) != nil)
            withExtendedLifetime(held) {}
        }
    }
}
