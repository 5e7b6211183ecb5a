import Foundation
import Logging
import Synchronization
import WaxConfig
import WaxStore

/// Brings the seller's orders into the mirror. Orders are read most recently active first and
/// the poll stops at the first one the mirror already has unchanged, so an idle shop costs one
/// request a poll. Every new or changed order is stored at once (its records leave the shelf);
/// their messages are read a request each, at most `messagesPerPoll` a poll, and those of an
/// order stored without them at the next polls. One poller per database across processes
/// (`DatabaseLock(.orders)`); it shares its process's client, and so the rate limiter.
public final class OrdersPoller: Sendable {
    public struct Configuration: Sendable {
        /// Pages a poll reads at most (the first poll of a shop with years of orders).
        public var maxPages = 20
        public var perPage = 50
        public var messagesPerPoll = 10
        public init() {}
    }

    public struct Outcome: Sendable, Equatable {
        public var applied = OrdersApplied()
        public var requests = 0
    }

    let inventory: InventoryService
    let client: DiscogsClient
    let configuration: Configuration
    let logger: Logger
    private let loop: HeldLoop
    private let store = StoreQueue(label: "wax.orders.store")
    private let wake = AsyncWake()

    public init(inventory: InventoryService, client: DiscogsClient, configuration: Configuration = Configuration(),
                logger: Logger = WaxLogging.logger("wax.orders")) {
        self.inventory = inventory
        self.client = client
        self.configuration = configuration
        self.logger = logger
        loop = HeldLoop(database: inventory.database.path, job: .orders)
    }

    /// One poll: reads until an unchanged order, stores what changed. Ahead of the inventory
    /// sync in the rate window: a new order takes its records off sale.
    public func poll() async throws -> Outcome {
        try await DiscogsClient.$priority.withValue(.orders) { try await pollUnprioritized() }
    }

    private func pollUnprioritized() async throws -> Outcome {
        var outcome = Outcome()
        var changed: [OrderRecord] = []
        var page = 1
        while page <= configuration.maxPages {
            let result = try await client.ordersByActivity(page: page, perPage: configuration.perPage)
            outcome.requests += 1
            let stored = try await store.run { try self.inventory.orderBook.storedOrderActivity(ids: result.orders.map(\.id)) }
            var reachedKnown = false
            for order in result.orders {
                if stored[order.id] == OrderBook.activityKey(order) {
                    reachedKnown = true
                    break
                }
                changed.append(order)
            }
            if reachedKnown || page >= result.pages || result.orders.isEmpty { break }
            page += 1
        }
        // Messages: the changed orders' first, then those earlier polls stored without theirs.
        let limit = configuration.messagesPerPoll
        let waiting = try await store.run { try self.inventory.orderBook.ordersAwaitingMessages(limit: limit) }
        var readFor = changed.prefix(limit).map(\.id)
        readFor += waiting.filter { id in !changed.contains { $0.id == id } }.prefix(limit - readFor.count)
        guard !changed.isEmpty || !readFor.isEmpty else { return outcome }
        var messages: [String: [OrderMessage]] = [:]
        for id in readFor {
            messages[id] = try await client.orderMessages(id: id)
            outcome.requests += 1
        }
        let frozen = changed, frozenMessages = messages
        outcome.applied = try await store.run { try self.inventory.orderBook.applyOrders(frozen, messages: frozenMessages) }
        let applied = outcome.applied
        logger.info("orders: \(applied.new.count) new, \(applied.changed.count) changed, \(applied.listingsSold) listings sold on Discogs, \(outcome.requests) requests")
        for id in applied.doubleSales {
            logger.warning("orders: DOUBLE SALE: order \(id) bought a record wax had already taken off sale: contact the buyer")
        }
        return outcome
    }

    /// One poll from a one-shot command (`wax sync`, `wax orders --sync`), holding the orders
    /// lock for it; nil when another process polls this mirror now (its poll is as good).
    public func pollOnce(trigger: String) async throws -> Outcome? {
        let lock: DatabaseLock
        do {
            lock = try DatabaseLock.acquire(forDatabase: inventory.database.path, job: .orders, trigger: trigger)
        } catch is DatabaseLock.Busy {
            return nil
        }
        defer { withExtendedLifetime(lock) {} }
        return try await poll()
    }

    /// Polls every `interval` seconds (the first at once) while this process holds the orders
    /// lock; tries to take it each round, so another process takes over when the holder exits.
    public func start(every interval: TimeInterval, trigger: String) {
        loop.start(trigger: trigger, idle: interval, round: { [self] in
            do {
                _ = try await poll()
            } catch {
                logger.notice("orders: poll failed: \(error)")
            }
            return interval
        }, pause: { [wake] seconds in await wake.wait(upTo: seconds) })
    }

    /// Poll now rather than at the next interval (the outbox found a listing sold online).
    public func nudge() { wake.signal() }

    public func stop() {
        loop.stop()
        wake.signal()
    }
}
