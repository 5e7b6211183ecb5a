import FakeDiscogs
import Foundation
import Testing
import WaxConfig
import WaxStore
@testable import WaxSync
import WaxTestSupport

/// Taking stock in against the fake Discogs: identifying a pressing, pricing it, and a new
/// listing through the outbox that a lost answer never doubles (issue 19).
@Suite struct IntakeTests {
    static let releases = 200

    private func shop() async throws -> SyncHarness {
        let harness = try await SyncHarness.start { $0.inventory = .generated(seed: 19, listings: Self.releases * 5 / 4) }
        try await harness.sync(harness.options(enrichment: .none))
        return harness
    }

    /// The catalogue's barcodes: one held by a single release, one held by two pressings.
    private func barcodes(_ server: FakeDiscogsServer) throws -> (unique: FakeRelease, shared: [FakeRelease]) {
        var byBarcode: [String: [FakeRelease]] = [:]
        for index in 0..<Self.releases {
            guard let release = server.release(id: ShopGenerator.firstReleaseID + Int64(index)), let barcode = release.barcode else { continue }
            byBarcode[barcode.filter(\.isNumber), default: []].append(release)
        }
        // In barcode order: the same releases every run.
        let groups = byBarcode.sorted { $0.key < $1.key }.map(\.value)
        let unique = try #require(groups.first { $0.count == 1 && $0[0].id % 11 != 3 }?.first)
        let shared = try #require(groups.first { $0.count == 2 })
        return (unique, shared)
    }

    private func fakeCreates(_ harness: SyncHarness) -> [FakeWrite] { harness.server.stats.writes.filter { $0.method == "CREATE" } }

    @Test func aBarcodeFindsItsPressingAndTheSecondLookIsFree() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let (unique, shared) = try barcodes(harness.server)
            let lookup = IntakeLookup(inventory: harness.inventory, client: harness.client)
            let found = try await lookup.identify(.barcode(unique.barcode!.filter(\.isNumber)))
            #expect(found.candidates.map(\.id) == [unique.id])
            let candidate = try #require(found.candidates.first)
            #expect(candidate.title == unique.title && candidate.catalogNumber == unique.labels.first?.catalogNumber && candidate.year == (unique.year > 0 ? unique.year : nil), "a year of 0 is Discogs' unknown year")
            _ = try await lookup.details(of: unique.id)
            let advice = try await lookup.advice(for: unique.id, currency: "USD")
            // Identify and price: search, release, suggestion, stats.
            #expect(lookup.requests == 4)
            guard case .suggested(let prices) = advice.suggestions else {
                Issue.record("no suggestions for \(unique.id)")
                return
            }
            #expect(prices.count == ConditionGrade.allCases.count)
            let rounded = try #require(advice.suggested(for: .veryGoodPlus, rounding: .step(0.5)))
            #expect(rounded.value.truncatingRemainder(dividingBy: 0.5) == 0 && abs(rounded.value - prices[.veryGoodPlus]!.value) <= 0.25)
            // The same pressing again costs nothing more.
            _ = try await lookup.identify(.barcode(unique.barcode!.filter(\.isNumber)))
            _ = try await lookup.details(of: unique.id)
            _ = try await lookup.advice(for: unique.id, currency: "USD")
            #expect(lookup.requests == 4)

            // Two pressings under one barcode: both listed, never a guess.
            let both = try await lookup.identify(.barcode(shared[0].barcode!.filter(\.isNumber)))
            #expect(Set(both.candidates.map(\.id)) == Set(shared.map(\.id)))
        }
    }

    @Test func anUnknownBarcodeFallsBackToTextAndSaysSo() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let lookup = IntakeLookup(inventory: harness.inventory, client: harness.client)
            let found = try await lookup.identify(.barcode("0000000000017"))
            #expect(found.candidates.isEmpty)
            #expect(found.note?.contains("no release has barcode 0000000000017") == true)
            #expect(lookup.requests == 2, "barcode= then q= with the digits")
            // A catalogue number and a release id find the release too.
            let release = try #require(harness.server.release(id: ShopGenerator.firstReleaseID + 5))
            let byCatno = try await lookup.identify(try #require(IntakeInput(release.labels[0].catalogNumber)))
            #expect(byCatno.candidates.contains { $0.id == release.id })
            let byID = try await lookup.identify(.release(release.id))
            #expect(byID.candidates.map(\.id) == [release.id])
            #expect(try await lookup.identify(.release(99)).note == "Discogs has no release 99")
        }
    }

    @Test func noSuggestionAndIncompleteSellerSettingsAreSaidNotCrashed() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let lookup = IntakeLookup(inventory: harness.inventory, client: harness.client)
            let none = ShopGenerator.firstReleaseID + (11 - ShopGenerator.firstReleaseID % 11 + 3) % 11
            #expect(none % 11 == 3)
            #expect(try await lookup.advice(for: none, currency: "USD").suggestions == .none)
            harness.server.setFaults { $0.priceSuggestionsForbidden = true }
            let other = IntakeLookup(inventory: harness.inventory, client: harness.client)
            guard case .sellerSettingsIncomplete(let message) = try await other.advice(for: none + 1, currency: "USD").suggestions else {
                Issue.record("a 403 was not read as incomplete seller settings")
                return
            }
            #expect(message.contains("seller settings"))
        }
    }

    private func newListing(_ harness: SyncHarness, _ releaseID: Int64) async throws -> NewListing {
        let lookup = IntakeLookup(inventory: harness.inventory, client: harness.client)
        let candidate = try #require(try await lookup.identify(.release(releaseID)).candidates.first)
        return NewListing(release: candidate, media: .veryGoodPlus, sleeve: .generic, price: 14.5, currency: "USD", location: "IN-1",
                          comments: "Clean copy", privateComments: "bought from Ann")
    }

    @Test func aNewListingShowsAtOnceAndIsAdoptedWhenDiscogsConfirms() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let listing = try await newListing(harness, ShopGenerator.firstReleaseID + 9)
            let action = try harness.inventory.intake.enqueue(listing, user: "ann")
            let provisional = try #require(action.listingID)
            #expect(provisional < 0)
            let shown = try #require(try harness.inventory.listing(id: provisional)).record
            #expect(shown.title == listing.release.title && shown.location == "IN-1" && shown.condition == "Very Good Plus (VG+)")
            #expect(try harness.inventory.intake.stickers(waitingOnly: true).isEmpty, "no sticker before Discogs gives the id")

            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            let creates = fakeCreates(harness)
            try #require(creates.count == 1)
            let id = creates[0].listingID
            let onDiscogs = try #require(harness.server.allListings().first { $0.listing.id == id }).listing
            #expect(onDiscogs.condition == "Very Good Plus (VG+)" && onDiscogs.sleeveCondition == "Generic" && onDiscogs.price == 14.5)
            #expect(onDiscogs.externalID.hasPrefix("bought from Ann [wax-") && onDiscogs.externalID.hasSuffix("]"))
            #expect(try harness.inventory.listing(id: provisional) == nil)
            let adopted = try #require(try harness.inventory.listing(id: id)).record
            #expect(adopted.location == "IN-1" && adopted.comments == "Clean copy")
            let confirmed = try #require(try harness.inventory.outbox.action(id: action.id))
            #expect(confirmed.state == .confirmed && confirmed.listingID == id)
            #expect(try harness.inventory.intake.stickers(waitingOnly: true).map(\.listingID) == [id])
            // A create is not undone by wax (the listing is real on Discogs now).
            #expect(throws: ActionRefusal.self) { try harness.inventory.outbox.undoLast(user: "ann") }
            // A sync afterwards keeps one copy of it.
            try await harness.sync(harness.options(enrichment: .none))
            #expect(try harness.inventory.count(ListingQuery()) == harness.server.liveCount)
        }
    }

    @Test func aLostAnswerToACreateNeverMakesTwoListings() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let action = try harness.inventory.intake.enqueue(try await newListing(harness, ShopGenerator.firstReleaseID + 12), user: "ann")
            harness.server.setFaults { $0.lostWriteResponses = 1 }
            let sender = harness.sender()
            guard case .waiting = await sender.drain() else {
                Issue.record("a lost answer did not postpone the creation")
                return
            }
            #expect(fakeCreates(harness).count == 1, "Discogs made the listing; its answer was lost")
            harness.advance(3_600)
            #expect(await sender.drain() == .done(confirmed: 1, refused: 0))
            #expect(fakeCreates(harness).count == 1, "the retry found the listing by its marker instead of listing it again")
            let id = fakeCreates(harness)[0].listingID
            #expect(try harness.inventory.outbox.action(id: action.id)?.listingID == id)
            #expect(try harness.inventory.listing(id: id) != nil)
        }
    }

    /// A sender that dies between the POST and its answer (the process killed): the next
    /// sender looks for the marker first and adopts what Discogs made.
    @Test func aSenderKilledMidCreateIsFoundAgainByTheNext() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let action = try harness.inventory.intake.enqueue(try await newListing(harness, ShopGenerator.firstReleaseID + 14), user: "ann")
            harness.server.setFaults { $0.hangAfterWrites = 1 }
            let dying = Task { await harness.sender().drain() }
            // No clock: wait for the fake to have made it, then kill the sender.
            while fakeCreates(harness).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            dying.cancel()
            _ = await dying.value
            #expect(try harness.inventory.outbox.action(id: action.id)?.state.isOpen == true)
            harness.advance(3_600)
            #expect(await harness.sender().drain() == .done(confirmed: 1, refused: 0))
            #expect(fakeCreates(harness).count == 1)
            #expect(try harness.inventory.outbox.action(id: action.id)?.state == .confirmed)
        }
    }

    /// Discogs down: the new listing waits in the outbox, shown and marked waiting, with no
    /// sticker (it has no id yet); once Discogs is back it is listed, once.
    @Test func aNewListingWaitsWhileDiscogsIsDown() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            let action = try harness.inventory.intake.enqueue(try await newListing(harness, ShopGenerator.firstReleaseID + 20), user: "ann")
            harness.server.setFaults { $0.alwaysFail = true }
            let sender = harness.sender()
            guard case .waiting = await sender.drain() else {
                Issue.record("a creation while Discogs is down did not wait")
                return
            }
            #expect(try harness.inventory.listing(id: action.listingID ?? 0) != nil, "still shown under its provisional id")
            #expect(try harness.inventory.intake.stickers(waitingOnly: true).isEmpty)
            harness.server.setFaults { $0.alwaysFail = false }
            harness.advance(3_600)
            #expect(await sender.drain() == .done(confirmed: 1, refused: 0))
            #expect(fakeCreates(harness).count == 1)
            #expect(try harness.inventory.intake.stickers(waitingOnly: true).count == 1)
        }
    }

    @Test func discogsRefusingACreateTakesTheProvisionalListingAway() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            var listing = try await newListing(harness, ShopGenerator.firstReleaseID + 16)
            listing.release.id = 42     // no such release: Discogs answers 422
            let action = try harness.inventory.intake.enqueue(listing, user: "ann")
            #expect(await harness.sender().drain() == .done(confirmed: 0, refused: 1))
            let refused = try #require(try harness.inventory.outbox.action(id: action.id))
            #expect(refused.state == .failed && refused.message?.contains("release") == true)
            #expect(try harness.inventory.listing(id: action.listingID ?? 0) == nil)
            #expect(fakeCreates(harness).isEmpty)
        }
    }

    @Test func badIntakeInputIsRefusedBeforeAnythingIsQueued() async throws {
        let harness = try await shop()
        try await withCleanup({ await harness.stop() }) { () async throws in
            var listing = try await newListing(harness, ShopGenerator.firstReleaseID + 18)
            listing.price = 20_000
            #expect(throws: ActionRefusal.self) { try harness.inventory.intake.enqueue(listing, user: "ann") }
            listing.price = 10
            listing.location = String(repeating: "B", count: 300)
            #expect(throws: ActionRefusal.self) { try harness.inventory.intake.enqueue(listing, user: "ann") }
            #expect(try harness.inventory.outbox.openCount() == 0)
            #expect(try harness.inventory.count(ListingQuery()) == harness.server.liveCount)
        }
    }
}

@Suite struct IntakeInputTests {
    @Test func whatStaffTypeIsReadAsTheyMeanIt() {
        #expect(IntakeInput("5012345678900") == .barcode("5012345678900"))
        #expect(IntakeInput("0 12345 67890 5") == .barcode("012345678905"))
        #expect(IntakeInput("96385074") == .barcode("96385074"))
        #expect(IntakeInput("r1234") == .release(1234))
        #expect(IntakeInput("[r1234]") == .release(1234))
        #expect(IntakeInput("https://www.discogs.com/release/249504-Rick-Astley-Never-Gonna-Give-You-Up") == .release(249504))
        #expect(IntakeInput("249504") == .release(249504))
        #expect(IntakeInput("SHL 32019") == .catalogNumber("SHL 32019"))
        #expect(IntakeInput("FACT-10") == .catalogNumber("FACT-10"))
        #expect(IntakeInput("joy division unknown pleasures") == .text("joy division unknown pleasures"))
        #expect(IntakeInput("   ") == nil)
    }

    @Test func gradesAreReadFromCodesAndDiscogsWords() {
        #expect(ConditionGrade("vg+") == .veryGoodPlus)
        #expect(ConditionGrade("NM") == .nearMint)
        #expect(ConditionGrade("M-") == .nearMint)
        #expect(ConditionGrade("Very Good (VG)") == .veryGood)
        #expect(ConditionGrade("excellent") == nil)
        #expect(SleeveGrade("gen") == .generic)
        #expect(SleeveGrade("No Cover") == .noCover)
        #expect(SleeveGrade("G+") == .graded(.goodPlus))
        #expect(SleeveGrade.allCases.map(\.discogsText).contains("Not Graded"))
    }

    @Test func suggestionsAreRoundedTheShopsWay() {
        #expect(PriceRounding("0.50")?.apply(12.26) == 12.5)
        #expect(PriceRounding("0.50")?.apply(12.24) == 12.0)
        #expect(PriceRounding(".99")?.apply(12.40) == 11.99)
        #expect(PriceRounding(".99")?.apply(12.60) == 12.99)
        #expect(PriceRounding("1")?.apply(0.2) == 0.01, "never below a cent")
        #expect(PriceRounding("none")?.apply(12.345) == 12.35)
        #expect(PriceRounding("-1") == nil)
    }
}
