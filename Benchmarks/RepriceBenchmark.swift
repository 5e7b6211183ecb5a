import FakeDiscogs
import Foundation
import Logging
import WaxConfig
import WaxStore
import WaxSync
import WaxTestSupport

/// Issue 20's figures: 10,000 listings repriced against the fake under Discogs' real window
/// (60 a minute) while a sync of the same inventory runs on the same client; and the preview
/// of a rule over 100,000 listings.
enum RepriceBenchmark {
    static func run(_ arguments: [String]) async throws {
        let count = Int(Measure.option("--listings", in: arguments) ?? "") ?? 10_000
        print("wax-bench reprice")
        if !arguments.contains("--no-preview") { try preview(listings: Int(Measure.option("--preview-listings", in: arguments) ?? "") ?? 100_000) }
        if !arguments.contains("--no-send") { try await send(listings: count) }
    }

    /// A rule over every listing of a 100,000-listing mirror: the selection read, the plan
    /// computed, the first screen's rows ready.
    static func preview(listings: Int) throws {
        let home = TemporaryDirectory()
        let database = home.file("preview.db")
        try UIBenchmark.prepareInChild(database: database, count: listings)
        let inventory = try InventoryService.open(at: database)
        var samples = Samples()
        for _ in 0..<5 {
            _ = try samples.time {
                let ids = try inventory.searchIDs(ListingQuery())
                let candidates = try inventory.reprice.candidates(ids: ids)
                let plan = RepricePlanner.plan(candidates, rule: RepriceRule(.percent(-10), rounding: .ending(0.99)), selection: "every listing",
                                               shopCurrency: "USD", priceLimit: 10_000)
                return plan.items.prefix(30).count
            }
        }
        print("preview of -10%, .99 over \(listings) listings → first screen: p50 \(Measure.fmt(samples.p50, 0)) ms, max \(Measure.fmt(samples.max, 0)) ms   goal ≤ 1000 ms")
    }

    static func send(listings: Int) async throws {
        // Discogs takes its time over a large job.
        let shop = try await CounterBenchmark.realWindow(listings: listings) { $0.uploadPolls = 6 }
        let server = shop.server, inventory = shop.inventory
        defer { Task { await server.stop() } }
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        var options = SyncOptions(seller: server.configuration.seller, trigger: .test)
        options.enrichment = .none
        let runner = SyncRunner(engine: shop.engine, options: options) { _ in }
        let workers = ShopWorkers(runner: runner, plan: .init(syncEvery: nil, sendOutbox: true, ordersEvery: 300, trigger: "bench"), logger: quiet)

        let ids = try inventory.searchIDs(ListingQuery())
        let plan = RepricePlanner.plan(try inventory.reprice.candidates(ids: ids), rule: RepriceRule(.percent(5), rounding: .step(0.5)),
                                       selection: "every listing", shopCurrency: "USD", priceLimit: 10_000)
        print("\n\(plan.items.count) of \(listings) listings change (+5%, 0.50): one job, real 60/60 window, 20 ms latency, a sync of the same inventory running…")
        let admittedBefore = server.stats.admitted
        let start = DispatchTime.now().uptimeNanoseconds
        func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let run = try inventory.reprice.record(plan, user: "bench")
        workers.start()
        _ = runner.start(.schedule)      // a sync beside it: 100 pages of inventory
        var syncDone: Double?
        var latest = run
        while latest.open > 0 {
            try await Task.sleep(for: .milliseconds(200))
            latest = try inventory.reprice.run(id: run.id) ?? latest
            if syncDone == nil, !runner.isRunning { syncDone = seconds() }
            if seconds() > 3_600 { throw BenchError("not verified within an hour") }
        }
        let total = seconds()
        while runner.isRunning && seconds() < 1_800 { try await Task.sleep(for: .milliseconds(200)) }
        let syncTime = syncDone ?? seconds()
        await workers.stopAndWait()
        let requests = server.stats.admitted - admittedBefore
        let verified = latest.counts[.confirmed] ?? 0
        let onDiscogs = Dictionary(server.liveListings().map { ($0.id, $0.price) }, uniquingKeysWith: { a, _ in a })
        let agree = plan.items.filter { onDiscogs[$0.listingID] == $0.newPrice }.count
        print("all verified in \(Measure.fmt(total, 1)) s   goal ≤ 300 s (one edit per listing: ~\(Int(Double(plan.items.count) * 3 / 60 / 60)) h \(Int(Double(plan.items.count) * 3 / 60) % 60) min at 3 requests each)")
        print("requests             \(requests) in all, sync included (goal ≤ 200); \(verified) confirmed, \(agree) at their new price on Discogs; 429s \(server.stats.rateLimited)")
        print("the sync beside it   finished in \(Measure.fmt(syncTime, 1)) s (not starved)")
    }
}
