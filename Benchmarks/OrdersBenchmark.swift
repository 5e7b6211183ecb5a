import FakeDiscogs
import Foundation
import Logging
import WaxConfig
import WaxStore
import WaxSync
import WaxTestSupport
import WaxUI

/// Issue 12's figures: how soon a new order shows in every running browser, what polling costs
/// (idle, and on a busy day) out of the rate budget the inventory sync also lives on, and how
/// fast the pick list opens on a large mirror.
enum OrdersBenchmark {
    static func run(_ arguments: [String]) async throws {
        print("wax-bench orders")
        let interval = Double(Measure.option("--interval", in: arguments) ?? "") ?? 10
        if !arguments.contains("--no-arrival") { try await arrival(interval: interval, rounds: Int(Measure.option("--rounds", in: arguments) ?? "") ?? 5) }
        if !arguments.contains("--no-budget") { try await busyDay(orders: 200, polls: 96) }
        if !arguments.contains("--no-pick") { try pickList(listings: Int(Measure.option("--listings", in: arguments) ?? "") ?? 100_000) }
    }

    static let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

    /// A buyer buys a listing on the fake while two browsers run beside the poller: seconds until
    /// both show the order and the listing has left their lists.
    static func arrival(interval: TimeInterval, rounds: Int) async throws {
        let shop = try await CounterBenchmark.shop(listings: 1_000, latency: 0.02, rateLimit: 60)
        defer { Task { await shop.server.stop() } }
        let browsers = try (0..<2).map { _ in
            try Session(inventory: shop.inventory, runner: nil, inbox: SyncInbox(), shop: "bench", columns: 120, rows: 35, syncAvailable: false)
        }
        let poller = OrdersPoller(inventory: shop.inventory, client: shop.client, logger: quiet)
        poller.start(every: interval, trigger: "bench")
        defer { poller.stop() }
        var seconds: [Double] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<rounds {
            // Any moment of the poll cycle.
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<Int(interval * 1000), using: &generator)))
            let before = browsers.map { $0.state.total }
            let listing = try requireBench(shop.server.liveListings().randomElement(using: &generator))
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try requireBench(shop.server.buy([listing.id], buyer: "buyer\(round)"))
            var seen = Array(repeating: false, count: browsers.count)
            while !seen.allSatisfy({ $0 }) {
                // As BrowserLoop: a tick between keys, every key timeout (50 ms).
                try await Task.sleep(for: .milliseconds(50))   // BrowserLoop.keyTimeout
                for (index, browser) in browsers.enumerated() where !seen[index] {
                    try browser.tick()
                    if browser.state.orders.newOrders > round, browser.state.total == before[index] - 1 { seen[index] = true }
                }
                if Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 > interval * 3 + 10 { throw BenchError("the order never showed") }
            }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let worst = seconds.max() ?? .nan
        print("new order in every browser  \(seconds.map { Measure.fmt($0, 1) }.joined(separator: " ")) s  worst \(Measure.fmt(worst, 1)) s   goal ≤ poll interval \(Int(interval)) s + 2 s  \(Measure.verdict(worst <= interval + 2))")
    }

    /// A busy day: 200 orders over 96 polls (8 hours at 5 minutes), buyers paying a poll later.
    /// What each poll costs, against the 60 requests a minute Discogs allows.
    static func busyDay(orders: Int, polls: Int) async throws {
        let shop = try await CounterBenchmark.shop(listings: 1_000, latency: 0, rateLimit: 100_000)
        defer { Task { await shop.server.stop() } }
        let poller = OrdersPoller(inventory: shop.inventory, client: shop.client, logger: quiet)
        // Idle: nothing happened since the last poll.
        _ = try await poller.poll()
        var idle: [Int] = []
        for _ in 0..<10 { idle.append(try await poller.poll().requests) }
        print("requests per idle poll      \(idle.map(String.init).joined(separator: " "))   goal 1  \(Measure.verdict(idle.allSatisfy { $0 == 1 }))")

        var generator = SystemRandomNumberGenerator()
        var requests: [Int] = []
        var unpaid: [String] = []
        var created = 0
        for poll in 0..<polls {
            for id in unpaid { shop.server.setOrderStatus(id, "Payment Received") }
            unpaid = []
            let due = orders * (poll + 1) / polls - created
            for _ in 0..<due {
                let listings = shop.server.liveListings().shuffled(using: &generator).prefix(Int.random(in: 1...3, using: &generator)).map(\.id)
                if let id = shop.server.buy(listings, paid: Bool.random(using: &generator)) {
                    created += 1
                    if shop.server.orders().first(where: { $0.id == id })?.status == "New Order" { unpaid.append(id) }
                }
            }
            requests.append(try await poller.poll().requests)
        }
        let total = requests.reduce(0, +)
        let worst = requests.max() ?? 0
        let mean = Double(total) / Double(requests.count)
        // The poll's requests out of a 5-minute interval's budget (60 a minute).
        let share = mean / 300 * 100
        print("busy day: \(created) orders, \(polls) polls   \(total) requests, mean \(Measure.fmt(mean, 1)) per poll, worst \(worst) (\(Measure.fmt(Double(worst) / 60 * 100, 1))% of that minute's 60)")
        print("  rate budget left to the inventory sync  \(Measure.fmt(100 - share, 1))% of every 5-minute interval")
    }

    /// The pick list of 50 open orders (120 items) on a 100,000-listing mirror: the read, and the
    /// `P` key to a drawn frame.
    static func pickList(listings: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wax-bench-orders-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("orders.db")
        print("pick list: building a mirror of \(listings) listings in a child process…")
        try UIBenchmark.prepareInChild(database: database, count: listings)
        let inventory = try InventoryService.open(at: database)
        var query = ListingQuery()
        query.limit = 5_000
        let pool = try inventory.search(query).map(\.id).shuffled()
        var orders: [OrderRecord] = []
        var next = 0
        for n in 0..<50 {
            let count = n < 20 ? 3 : 2     // 20 × 3 + 30 × 2 = 120 items
            let items = pool[next..<(next + count)].map { OrderItemRecord(listingID: $0, description: "bench item", price: 10, currency: "USD") }
            next += count
            orders.append(OrderRecord(id: "900000-\(n + 1)", status: n % 5 == 0 ? "In Progress" : "Payment Received",
                                      nextStatus: ["Payment Received", "In Progress", "Shipped"], created: "2026-12-01T10:00:00Z",
                                      lastActivity: "2026-12-01T10:\(String(format: "%02d", n % 60)):00Z", buyer: "buyer\(n)", total: 30,
                                      totalCurrency: "USD", items: items))
        }
        _ = try inventory.orderBook.applyOrders(orders)
        var read = Samples()
        var items = 0
        for _ in 0..<50 { items = try read.time { try inventory.orderBook.pickList() }.count }
        let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "bench", columns: 120, rows: 35, syncAvailable: false)
        var open = Samples()
        for _ in 0..<20 {
            try open.time {
                try session.handle(.character("P"))
                _ = session.frame
            }
            try session.handle(.escape)
        }
        print("pick list, \(items) items of 50 orders at \(listings) listings: read p50 \(Measure.fmt(read.p50)) ms p99 \(Measure.fmt(read.p99)) ms;"
              + " P to frame p50 \(Measure.fmt(open.p50)) ms p99 \(Measure.fmt(open.p99)) ms   goal ≤ 50 ms  \(Measure.verdict(open.p99 <= 50))")
    }
}

/// `#requireBench(x)`: the value, or a bench error naming what was missing.
func requireBench<T>(_ value: T?, _ what: String = "a value") throws -> T {
    guard let value else { throw BenchError("missing \(what)") }
    return value
}
