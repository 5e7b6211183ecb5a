import WaxJSON
import ArgumentParser
import Foundation
import Logging
import WaxConfig
import WaxStore
import WaxSync
import WaxText

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync the mirror with the seller's Discogs inventory.",
        discussion: """
        Reads the inventory, confirms with Discogs each listing that has gone, applies \
        everything in one transaction, then fetches release details (genres, styles…) for as \
        many releases as the rate limit allows now; the rest wait for the next sync. A failed \
        or interrupted sync changes no listing. Exit 0 success, 1 sync failed, 2 configuration \
        (no token or seller), 3 another sync is running, 4 token rejected.
        """
    )

    @Flag(help: "Print the summary as one JSON object.") var json = false
    @Flag(name: .customLong("listings-only"), help: "Only the listings: no release details, no orders.") var listingsOnly = false
    @Flag(name: .customLong("all-details"), help: "Fetch every missing release detail, waiting on the rate limit.") var allDetails = false
    @Flag(help: "No progress bar.") var quiet = false
    @Flag(help: "Keep running: sync now, then every SYNC_INTERVAL_HOURS.") var watch = false

    func validate() throws {
        if listingsOnly && allDetails { throw ValidationError("--listings-only and --all-details are exclusive") }
    }

    func run() async throws {
        try await Failure.reporting {
            let context = try AppContext.load()
            // One sync and nothing else beside it: a first one may fill the mirror without the
            // WAL. `--watch` polls orders and drains the outbox around its syncs, so it does not.
            let inventory = try context.openInventory(fillsAlone: !watch)
            var (engine, options) = try SyncSetup.engine(context, inventory: inventory)
            options.enrichment = listingsOnly ? .none : (allDetails || watch ? .all : .budget)
            let progress = SyncProgress(enabled: !quiet && !json && isatty(STDERR_FILENO) == 1)
            if watch {
                guard context.settings.enableAutoSync else {
                    throw Failure.configuration("ENABLE_AUTO_SYNC is false, so --watch would never sync: set it to true, or run `wax sync` once")
                }
                try await runWatching(engine, options, interval: context.settings.syncIntervalHours * 3600, progress: progress,
                                      readOnly: context.settings.readOnly, ordersPollMinutes: context.settings.ordersPollMinutes)
                return
            }
            // What staff queued goes out first: a sync after it then agrees with it.
            if !context.settings.readOnly {
                let outbox = await SyncSetup.sender(context, inventory: engine.inventory, client: engine.client, seller: options.seller).drain(trigger: "wax sync")
                if !json { Self.note(outbox) }
            }
            // Then the orders (a shop syncing from cron sees them too): a listing bought online
            // leaves with its order's id before the inventory agrees.
            let orders = await pollOrders(context, inventory, engine)
            let task = Task { try await engine.run(options, events: progress.handle) }
            SignalWatch.shared.onSignal { _ in task.cancel() }
            do {
                print(summary: try await task.value, seller: options.seller, orders: orders)
            } catch let failure as SyncFailure {
                throw SyncSetup.exit(for: failure)
            }
        }
    }

    /// What became of the orders poll that goes with a one-shot sync.
    enum OrdersPoll {
        case polled(OrdersPoller.Outcome?)
        case skipped(String)
        case failed(String)

        var line: String {
            switch self {
            case .polled(let outcome): OrdersCommand.describe(outcome)
            case .skipped(let why): "orders: not polled (\(why))"
            case .failed(let why): "orders: not polled: \(why)"
            }
        }

        var json: JSONValue {
            switch self {
            case .polled(let outcome?):
                .object(["polled": .bool(true), "new": JSONValue(outcome.applied.new.count), "changed": JSONValue(outcome.applied.changed.count),
                         "listings_sold": JSONValue(outcome.applied.listingsSold), "requests": JSONValue(outcome.requests),
                         "double_sales": .array(outcome.applied.doubleSales.map(JSONValue.string))])
            case .polled(nil): .object(["polled": .bool(false), "reason": .string("another wax polls this mirror's orders now")])
            case .skipped(let why), .failed(let why): .object(["polled": .bool(false), "reason": .string(why)])
            }
        }
    }

    private func pollOrders(_ context: AppContext, _ inventory: InventoryService, _ engine: SyncEngine) async -> OrdersPoll {
        if listingsOnly { return .skipped("--listings-only") }
        guard context.settings.ordersPollMinutes > 0 else { return .skipped("ORDERS_POLL_MINUTES=0") }
        do {
            return .polled(try await OrdersCommand.pollOnce(context, inventory, client: engine.client, trigger: "wax sync"))
        } catch let failure as Failure {
            return .failed(failure.message)
        } catch {
            return .failed("\(error)")
        }
    }

    private func print(summary: SyncSummary, seller: String, orders: OrdersPoll) {
        if json {
            let object: [String: JSONValue] = [
                "added": JSONValue(summary.added), "updated": JSONValue(summary.updated), "removed": JSONValue(summary.removed),
                "unchanged": JSONValue(summary.unchanged), "total": JSONValue(summary.total), "requests": JSONValue(summary.requests),
                "seconds": .double((summary.seconds * 1000).rounded() / 1000), "releases_fetched": JSONValue(summary.releasesFetched),
                "releases_pending": JSONValue(summary.releasesPending), "unreachable": JSONValue(summary.unreachable),
                "removals_deferred": .bool(summary.removalsDeferred), "rate_limited": JSONValue(summary.rateLimited),
                "sync_run_id": .int(summary.syncRunID), "orders": orders.json,
            ]
            Console.out(JSONValue.object(object).text + "\n")
            return
        }
        Console.out(Self.describe(summary, seller: seller) + orders.line + "\n")
    }

    /// One line on stderr when the outbox had something to say.
    static func note(_ outcome: OutboxSender.DrainOutcome) {
        switch outcome {
        case .done(let confirmed, let refused) where confirmed + refused > 0:
            Console.note("outbox: \(confirmed) confirmed, \(refused) refused (see wax outbox)")
        case .waiting(_, let reason, let open):
            Console.note("outbox: \(open) change\(open == 1 ? "" : "s") waiting for Discogs: \(reason)")
        case .unusable(let reason):
            Console.warn("outbox: \(reason)")
        default:
            break
        }
    }

    static func describe(_ s: SyncSummary, seller: String) -> String {
        var out = "synced \(seller): +\(s.added) added, ~\(s.updated) updated, −\(s.removed) removed, \(s.unchanged) unchanged → \(s.total) listings\n"
        out += String(format: "%d requests in %.1f s", s.requests, s.seconds)
        out += "; release details: \(s.releasesFetched) fetched, \(s.releasesPending) pending\n"
        if s.removalsDeferred {
            out += s.unreachable > 0
                ? "\(s.unreachable) listings could not be reached (Discogs shows non-owners only the first 10,000): removals were not checked\n"
                : "the inventory changed while it was read: removals are checked at the next sync\n"
        }
        if let note = s.enrichmentNote { out += note + "\n" }
        return out
    }

    private func runWatching(_ engine: SyncEngine, _ options: SyncOptions, interval: TimeInterval, progress: SyncProgress,
                             readOnly: Bool, ordersPollMinutes: Double) async throws {
        let seller = options.seller
        let runner = SyncRunner(engine: engine, options: options) { event in
            progress.handle(event)
            switch event {
            case .finished(let summary):
                Console.out("[\(LocalTime.system.minuteWithZone(Date()))] " + Self.describe(summary, seller: seller))
            case .failed(let failure):
                Console.error("[\(LocalTime.system.minuteWithZone(Date()))] sync failed: \(failure.message)")
            default:
                break
            }
        }
        // The shop's sender (actions staff queue, with or without a token of their own, go out
        // from here) and poller, beside the scheduled syncs.
        let workers = ShopWorkers(runner: runner, plan: .init(syncEvery: interval, sendOutbox: !readOnly, ordersEvery: ordersPollMinutes * 60,
                                                              trigger: "wax sync --watch"), logger: Logger(label: "wax"))
        workers.start()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            SignalWatch.shared.onSignal { _ in done.resume() }
        }
        await workers.stopAndWait()
    }
}

