import Foundation
import Logging
import Synchronization
import WaxConfig
import WaxStore

/// Runs syncs in the background, one at a time in this process, and hands every event to a
/// sink. The UI and `wax sync --watch` start syncs through it (at start-up, on a schedule, on a
/// key); nothing here ever blocks the caller.
public final class SyncRunner: Sendable {
    private let engine: SyncEngine
    private let options: SyncOptions
    private let sink: @Sendable (SyncEvent) -> Void
    private let current = Mutex<Task<Void, Never>?>(nil)
    private let schedule = Mutex<Task<Void, Never>?>(nil)

    public init(engine: SyncEngine, options: SyncOptions, sink: @escaping @Sendable (SyncEvent) -> Void) {
        self.engine = engine
        self.options = options
        self.sink = sink
    }

    public var isRunning: Bool { current.withLock { $0 != nil } }

    /// An orders poller sharing this runner's client (and rate limiter).
    public func ordersPoller(logger: Logger) -> OrdersPoller {
        OrdersPoller(inventory: engine.inventory, client: engine.client, logger: logger)
    }

    /// An outbox sender for the same seller, sharing this runner's client (and so its rate
    /// limiter): what a long-running wax starts beside its syncs.
    public func outboxSender(logger: Logger) -> OutboxSender {
        OutboxSender(inventory: engine.inventory, client: engine.client, configuration: OutboxSender.Configuration(seller: options.seller),
                     logger: logger)
    }

    /// Starts a sync unless one is already running in this process (another process holding
    /// the database's sync lock is reported through the sink as a `busy` failure).
    @discardableResult
    public func start(_ trigger: SyncTrigger) -> Bool {
        current.withLock { running in
            guard running == nil else { return false }
            running = launch(trigger, holding: nil)
            return true
        }
    }

    public enum StartOutcome: Sendable, Equatable {
        case started
        /// A sync started by this runner is still running.
        case alreadyRunning
        /// Another process (or another runner) holds the database's sync lock.
        case busy(holder: String)
        /// The lock file could not be opened (permissions, a full disk).
        case failed(String)
    }

    /// Starts a sync and says at once whether it could: the lock is taken here, before the
    /// background task starts, so `.started` means this sync owns the database's sync lock.
    public func tryStart(_ trigger: SyncTrigger) -> StartOutcome {
        current.withLock { running in
            guard running == nil else { return .alreadyRunning }
            let lock: SyncLock
            do {
                lock = try engine.acquireLock(trigger: trigger)
            } catch let busy as SyncLock.Busy {
                return .busy(holder: busy.holder)
            } catch {
                return .failed("\(error)")
            }
            running = launch(trigger, holding: lock)
            return .started
        }
    }

    /// The background task of one sync; it clears `current` when it ends. Called under `current`'s lock.
    private func launch(_ trigger: SyncTrigger, holding lock: SyncLock?) -> Task<Void, Never> {
        var options = self.options
        options.trigger = trigger
        return Task.detached(priority: .utility) { [engine, sink] in
            _ = try? await engine.run(options, holding: lock, events: sink)
            // The runner lives in a long-lived wax (the browser, `wax serve`, `sync --watch`):
            // what a large shop's sync freed goes back to the system, not kept until the next one.
            MemoryTrim.releaseFreedMemory()
            self.current.withLock { $0 = nil }
        }
    }

    /// A sync now, then one every `interval` seconds, until `stop()`.
    public func startSchedule(every interval: TimeInterval, startNow: Bool = true) {
        schedule.withLock { task in
            task?.cancel()
            task = Task.detached(priority: .utility) {
                if startNow { self.start(.startup) }
                while !Task.isCancelled {
                    do { try await Task.sleep(for: .seconds(interval)) } catch { return }
                    self.start(.schedule)
                }
            }
        }
    }

    /// Stops the schedule and interrupts a running sync (its transaction, if open, rolls back).
    public func stop() {
        schedule.withLock { $0?.cancel(); $0 = nil }
        current.withLock { $0?.cancel() }
    }

    /// Waits for the running sync, if any, to end.
    public func waitUntilIdle() async {
        while let task = current.withLock({ $0 }) { await task.value }
    }
}
