import Foundation
import Synchronization
import WaxStore
import WaxUI

/// Issue 18's figure: what a confirmation from Discogs costs a staff member's running browser
/// on a mirror of 100,000 listings: index rebuilds (the listings' counter moving) and the time
/// from the sender's writes to the browser's refreshed frame.
enum ConfirmationBenchmark {
    static func run(_ arguments: [String]) throws {
        let count = Int(Measure.option("--listings", in: arguments) ?? "") ?? 100_000
        let actions = Int(Measure.option("--actions", in: arguments) ?? "") ?? 20
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wax-bench-confirm-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = Measure.option("--database", in: arguments).map { URL(fileURLWithPath: $0) } ?? dir.appendingPathComponent("confirm.db")
        if !FileManager.default.fileExists(atPath: database.path) {
            print("wax-bench confirmations: building a mirror of \(count) listings in a child process…")
            try UIBenchmark.prepareInChild(database: database, count: count)
        }
        let inventory = try InventoryService.open(at: database)
        // The browser's clock moves a second before each look, so it looks for changes at once.
        let clock = Mutex(Date())
        let session = try Session(inventory: inventory, runner: nil, inbox: SyncInbox(), shop: "bench", columns: 120, rows: 35,
                                  syncAvailable: false, counter: CounterAccess(user: "bench", availability: .on), now: { clock.withLock { $0 } })
        func look() throws {
            clock.withLock { $0 = $0.addingTimeInterval(1) }
            _ = try session.tick()
            _ = session.frame
        }
        var queued: [CounterAction] = []
        for listing in try inventory.search(ListingQuery(limit: actions)) {
            queued.append(try inventory.outbox.enqueue(ActionRequest(.price, listingID: listing.id, price: (listing.record.priceValue ?? 10) + 1), user: "bench"))
        }
        try look()
        let loads = inventory.indexLoads, generation = try inventory.generation()
        var samples = Samples(), writes = Samples(), looks = Samples()
        for action in queued {
            guard let id = action.listingID else { continue }
            let started = DispatchTime.now().uptimeNanoseconds
            // What the sender writes when Discogs shows the price, then the browser's look.
            try writes.time {
                try inventory.outboxQueue.markSending(action.id)
                try inventory.outboxQueue.markSent(action.id)
                try inventory.outboxQueue.confirm(action.id)
                if var read = try inventory.listing(id: id)?.record {
                    read.rawJSON = #"{"id": \#(id), "confirmed": \#(action.id)}"#
                    try inventory.outboxQueue.refresh(read)
                }
            }
            try looks.time { try look() }
            samples.values.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        print("wax-bench confirmations: \(queued.count) confirmations of reprices, a browser open on \(session.state.inventoryTotal) listings")
        print("index rebuilds         \(inventory.indexLoads - loads) (listings counter moved \(try inventory.generation() - generation))   target 0")
        print("confirmation → frame   p50 \(Measure.fmt(samples.p50)) ms  p99 \(Measure.fmt(samples.p99)) ms  max \(Measure.fmt(samples.max)) ms")
        print("  the sender's writes  p50 \(Measure.fmt(writes.p50)) ms; the browser's look p50 \(Measure.fmt(looks.p50)) ms")
        print("still waiting          \(session.state.outboxWaiting)")
    }
}
