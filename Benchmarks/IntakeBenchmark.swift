import FakeDiscogs
import Foundation
import Logging
import WaxConfig
import WaxStore
import WaxSync
import WaxTestSupport
import WaxUI

/// Issue 19's figures: a stack of records taken in against the fake with 20 ms latency under
/// Discogs' real window (60 a minute): identified, priced, listed and confirmed one after the
/// other, as staff at the counter would; the requests each record cost; and how long after
/// Enter a second browser on the same mirror shows the new listing.
enum IntakeBenchmark {
    static func run(_ arguments: [String]) async throws {
        let records = Int(Measure.option("--records", in: arguments) ?? "") ?? 100
        print("wax-bench intake: \(records) records, real 60/60 window, 20 ms latency")
        let shop = try await CounterBenchmark.realWindow(listings: 2_000)
        let server = shop.server, client = shop.client, inventory = shop.inventory
        defer { Task { await server.stop() } }
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        var options = SyncOptions(seller: server.configuration.seller, trigger: .test)
        options.enrichment = .none
        let runner = SyncRunner(engine: shop.engine, options: options) { _ in }
        let workers = ShopWorkers(runner: runner, plan: .init(syncEvery: nil, sendOutbox: true, ordersEvery: 300, trigger: "bench"), logger: quiet)
        workers.start()
        let second = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "bench", columns: 120, rows: 35, syncAvailable: false)
        let lookup = IntakeLookup(inventory: inventory, client: client)
        let admittedBefore = server.stats.admitted
        let start = DispatchTime.now().uptimeNanoseconds
        func seconds(since: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - since) / 1e9 }

        var perRecord = Samples(), shown = Samples()
        var actions: [Int64] = []
        let generator = ShopGenerator(seed: 77, listings: 2_000)
        for n in 0..<records {
            let release = generator.release(id: ShopGenerator.firstReleaseID + Int64(n * 13 % generator.releaseCount))
            let recordStart = DispatchTime.now().uptimeNanoseconds
            let input: IntakeInput = release.barcode.map { .barcode($0.filter(\.isNumber)) } ?? .release(release.id)
            let found = try await lookup.identify(input)
            guard let candidate = found.candidates.first(where: { $0.id == release.id }) ?? found.candidates.first else {
                throw BenchError("record \(n): nothing found for \(input)")
            }
            async let details = lookup.details(of: candidate.id)
            async let advice = lookup.advice(for: candidate.id, currency: "USD")
            _ = try await details
            let price = try await advice.suggested(for: .veryGoodPlus, rounding: .step(0.5))?.value ?? 10
            let listing = NewListing(release: candidate, media: .veryGoodPlus, sleeve: .graded(.veryGood), price: price, currency: "USD", location: "IN-\(n / 25)")
            let before = second.state.inventoryTotal
            let entered = DispatchTime.now().uptimeNanoseconds
            let action = try inventory.intake.enqueue(listing, user: "bench")
            workers.sender?.nudge()
            actions.append(action.id)
            while second.state.inventoryTotal == before {
                try await Task.sleep(for: .milliseconds(5))
                try second.tick()
                if seconds(since: entered) > 60 { throw BenchError("record \(n) never showed in the second browser") }
            }
            shown.values.append(seconds(since: entered))
            perRecord.values.append(seconds(since: recordStart))
            if n % 20 == 19 { print("  \(n + 1) records in \(Measure.fmt(seconds(since: start), 1)) s; Discogs requests so far \(server.stats.admitted - admittedBefore)") }
        }
        while try actions.contains(where: { try inventory.outbox.action(id: $0)?.state.isOpen == true }) {
            try await Task.sleep(for: .milliseconds(50))
            if seconds(since: start) > 3_600 { throw BenchError("not all confirmed in an hour") }
        }
        let total = seconds(since: start)
        await workers.stopAndWait()
        let confirmed = try actions.filter { try inventory.outbox.action(id: $0)?.state == .confirmed }.count
        let created = server.stats.writes.filter { $0.method == "CREATE" }.count
        let requests = server.stats.admitted - admittedBefore
        print("all \(records) listed and confirmed in \(Measure.fmt(total, 1)) s (\(confirmed) confirmed, \(created) created on Discogs: one each)")
        print("requests             \(requests) in all, \(Measure.fmt(Double(requests) / Double(records), 2)) per record; identify + price \(Measure.fmt(Double(lookup.requests) / Double(records), 2)) per record (goal ≤ 4)")
        print("one record           identify + price, p50 \(Measure.fmt(perRecord.p50, 2)) s, max \(Measure.fmt(perRecord.max, 2)) s (the window's wait included)")
        print("Enter → shown        in a second browser on the mirror: p50 \(Measure.fmt(shown.p50 * 1000, 0)) ms, max \(Measure.fmt(shown.max * 1000, 0)) ms   goal ≤ 1 s")
        print("429s                 \(server.stats.rateLimited)")
    }
}
