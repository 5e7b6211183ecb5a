import FakeDiscogs
import Foundation
import Logging
import Testing
import WaxConfig
import WaxStore
import WaxSync
@testable import WaxUI
import WaxTestSupport

/// `a` in the browser, against the fake Discogs: a stack of records taken in one after the
/// other, the form never waiting on the network (issue 19).
@Suite struct IntakeFormTests {
    func type(_ text: String, _ session: Session) throws {
        for character in text { try session.handle(.character(character)) }
    }

    @Test func aStackIsTakenInRecordByRecordAndShownAtOnce() async throws {
        var configuration = FakeConfiguration()
        configuration.rateLimit = 10_000
        configuration.inventory = .generated(seed: 29, listings: 100)
        let server = FakeDiscogsServer(configuration: configuration)
        let url = try await server.start()
        let dir = TemporaryDirectory()
        try await withCleanup({ await server.stop() }) { () async throws in
            let inventory = try InventoryService.open(at: dir.file("wax.db"))
            let client = try DiscogsClient(configuration: DiscogsClient.Configuration(baseURL: url, token: Secret(configuration.ownerToken), userAgent: "wax-tests/1.0"))
            let engine = SyncEngine(inventory: inventory, client: client, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            var options = SyncOptions(seller: configuration.seller, trigger: .test)
            options.enrichment = .none
            _ = try await engine.run(options) { _ in }
            let lookup = IntakeLookup(inventory: inventory, client: client)
            let counter = CounterAccess(user: "ann", availability: .on, intake: lookup, rounding: .step(0.5))
            let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "freakinbeats", columns: 100, rows: 30,
                                      syncAvailable: true, time: .utc, counter: counter, now: { ShopFixture.now })
            let before = session.state.total

            try session.handle(.character("a"))
            #expect(session.state.overlay == .intake && session.frame.line(1).contains("Taking stock in · 0 listed"))
            let shared = try #require(server.release(id: ShopGenerator.firstReleaseID + 6)?.barcode)
            try type(shared, session)
            try session.handle(.enter)
            #expect(session.frame.text.contains("asking Discogs about barcode \(shared)"), "the form says what it waits for")
            await session.settleIntake()
            // Two pressings under the barcode: a list, with the shop's stock of each.
            #expect(session.state.intake?.step == .choose && session.state.intake?.candidates.count == 2)
            #expect(session.frame.text.contains("2 pressings match: which is it?") && session.frame.text.contains("r\(ShopGenerator.firstReleaseID + 7)"))
            try session.handle(.down)
            try session.handle(.enter)
            await session.settleIntake()
            #expect(session.state.intake?.release?.id == ShopGenerator.firstReleaseID + 7)
            #expect(session.frame.text.contains("[3] VG+") && session.frame.text.contains("VG+: light signs of play"))
            try session.handle(.character("3"))
            try session.handle(.character("9"))
            // The price is Discogs' suggestion for VG+, rounded to 0.50, with the market beside it.
            let price = try #require(session.state.intake?.priceValue)
            #expect((price * 2).rounded() == price * 2 && session.frame.text.contains("suggested for VG+:") && session.frame.text.contains("market:"))
            try session.handle(.enter)
            try type("IN-9", session)
            try session.handle(.enter)
            // Listed at once, marked waiting, and the form is ready for the next record.
            #expect(session.state.total == before + 1)
            #expect(session.state.intake?.step == .identify && session.state.intake?.bin == "IN-9" && session.state.intake?.sleeve == .generic)
            #expect(session.frame.text.contains("0 listed, 1 waiting, 0 failed"))

            let sender = OutboxSender(inventory: inventory, client: client, configuration: OutboxSender.Configuration(seller: configuration.seller))
            #expect(await sender.drain() == .done(confirmed: 1, refused: 0))
            try session.forceChangeCheck()
            #expect(session.frame.text.contains("1 listed, 0 waiting, 0 failed"))
            #expect(try inventory.intake.stickers(waitingOnly: true).count == 1)

            // The same pressing again: no request more (cached for the session).
            let requests = lookup.requests
            try type("r\(ShopGenerator.firstReleaseID + 7)", session)
            try session.handle(.enter)
            await session.settleIntake()
            #expect(session.state.intake?.step == .grade && lookup.requests == requests)
            // An unknown barcode says so, and the form stays on the record.
            try session.handle(.escape)
            try session.handle(.escape)
            try session.handle(.control("u"))
            try type("0000000000017", session)
            try session.handle(.enter)
            await session.settleIntake()
            #expect(session.frame.text.contains("no release has barcode 0000000000017"))
            try session.handle(.control("u"))
            try session.handle(.escape)
            #expect(session.state.overlay == .none && session.state.message?.contains("1 listed, 0 waiting, 0 failed") == true)
        }
    }

    @Test func withoutTheTokenTheKeySaysWhy() throws {
        let dir = TemporaryDirectory()
        let inventory = try dir.inventory()
        let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "freakinbeats", columns: 80, rows: 24,
                                  syncAvailable: false, time: .utc, counter: CounterAccess(user: "ann", availability: .on), now: { ShopFixture.now })
        try session.handle(.character("a"))
        #expect(session.state.overlay == .none && session.state.messageIsError)
        #expect(session.state.message?.contains("DISCOGS_TOKEN") == true)
    }
}
