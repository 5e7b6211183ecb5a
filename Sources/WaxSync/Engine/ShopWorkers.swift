import Foundation
import Logging

/// The shop's background work in a long-running wax (the browser, `wax serve`, `wax sync
/// --watch`): scheduled syncs, the outbox sender and the orders poller, all sharing one client
/// (and so one rate limiter), started and stopped in one order, and wired together: a listing
/// the outbox finds sold online makes the poller look for its order at once.
public final class ShopWorkers: Sendable {
    public struct Plan: Sendable {
        /// Seconds between scheduled syncs (the first at once); nil: syncs only when asked.
        public var syncEvery: TimeInterval?
        /// Whether this process sends the outbox (not when read-only).
        public var sendOutbox: Bool
        /// Seconds between polls of the orders; nil: no polling here.
        public var ordersEvery: TimeInterval?
        /// Who this is, for the locks' holder line ("browser", "wax serve").
        public var trigger: String

        public init(syncEvery: TimeInterval?, sendOutbox: Bool, ordersEvery: TimeInterval?, trigger: String) {
            self.syncEvery = syncEvery
            self.sendOutbox = sendOutbox
            self.ordersEvery = ordersEvery.flatMap { $0 > 0 ? $0 : nil }
            self.trigger = trigger
        }
    }

    public let runner: SyncRunner
    /// This process's sender, when it sends.
    public let sender: OutboxSender?
    public let orders: OrdersPoller?
    private let plan: Plan

    public init(runner: SyncRunner, plan: Plan, logger: Logger) {
        self.runner = runner
        self.plan = plan
        sender = plan.sendOutbox ? runner.outboxSender(logger: logger) : nil
        orders = plan.ordersEvery == nil ? nil : runner.ordersPoller(logger: logger)
        if let sender, let orders { sender.whenSoldOnDiscogs { orders.nudge() } }
    }

    public func start() {
        if let every = plan.syncEvery { runner.startSchedule(every: every) }
        sender?.start(trigger: plan.trigger)
        if let every = plan.ordersEvery { orders?.start(every: every, trigger: plan.trigger) }
    }

    /// Stops everything: the poller and the sender first (they let their locks go), then the
    /// syncs (a running one rolls back).
    public func stop() {
        orders?.stop()
        sender?.stop()
        runner.stop()
    }

    /// `stop()`, then waits for a running sync to end.
    public func stopAndWait() async {
        stop()
        await runner.waitUntilIdle()
    }
}
