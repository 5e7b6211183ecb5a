import Foundation
import Logging
import WaxConfig
import WaxStore

/// One sync: read the inventory, confirm what is gone, apply it all in one transaction, then
/// fetch release details for what lacks them.
///
/// The mirror is changed only by `applySnapshot`, once, with everything; a sync that fails
/// before then leaves every listing as it was and records the failure.
public final class SyncEngine: Sendable {
    public let inventory: InventoryService
    public let client: DiscogsClient
    let databasePath: URL
    let logger: Logger
    /// Store work (SQLite transactions) runs here, never on the caller's thread or the network's.
    let store = StoreQueue(label: "wax.sync.store")

    public init(inventory: InventoryService, client: DiscogsClient, logger: Logger = WaxLogging.logger("wax.sync")) {
        self.inventory = inventory
        self.client = client
        self.databasePath = inventory.database.path
        self.logger = logger
    }

    /// Takes this database's sync lock now, without waiting, or throws `SyncLock.Busy` naming
    /// the holder: for callers that must answer at once whether a sync could start.
    public func acquireLock(trigger: SyncTrigger) throws -> SyncLock {
        try SyncLock.acquire(forDatabase: databasePath, trigger: trigger.rawValue)
    }

    /// Runs a sync to the end and returns what it did, or throws a `SyncFailure`. `lock`, when
    /// given, is the sync lock the caller already took (`acquireLock`).
    public func run(_ options: SyncOptions, holding heldLock: SyncLock? = nil,
                    events: @escaping @Sendable (SyncEvent) -> Void) async throws -> SyncSummary {
        let started = Date()
        events(.started(seller: options.seller, trigger: options.trigger))
        let lock: SyncLock
        do {
            lock = try heldLock ?? acquireLock(trigger: options.trigger)
        } catch let busy as SyncLock.Busy {
            let failure = SyncFailure(.busy, busy.description)
            events(.failed(failure))
            throw failure
        }
        defer { withExtendedLifetime(lock) {} }
        let history = RateHistory.load(forDatabase: databasePath)
        client.adoptRateHistory(history.times, limit: history.limit)
        defer { RateHistory.save(limit: client.rateLimit, times: client.rateHistory, forDatabase: databasePath) }
        client.setEventHandler { event in
            switch event {
            case .waitingForRateLimit(let seconds): events(.waitingForRateLimit(seconds: seconds))
            case .retrying(let attempt, let attempts, let reason, _): events(.retrying(attempt: attempt, of: attempts, reason: reason))
            }
        }
        defer { client.setEventHandler(nil) }
        let before = client.counters
        do {
            var summary = try await synchronise(options, events: events, started: started, requestsBefore: before.requests)
            summary.requests = client.counters.requests - before.requests
            summary.rateLimited = client.counters.rateLimited - before.rateLimited
            summary.seconds = Date().timeIntervalSince(started)
            logger.info("sync finished: +\(summary.added) ~\(summary.updated) -\(summary.removed) =\(summary.unchanged), \(summary.total) listings, \(summary.requests) requests, \(String(format: "%.1f", summary.seconds)) s")
            events(.finished(summary))
            return summary
        } catch {
            let failure = Self.failure(error)
            logger.error("sync failed: \(failure.message)")
            let requests = client.counters.requests - before.requests
            _ = try? await onStore { try self.inventory.syncStore.recordFailedSync(trigger: options.trigger, startedAt: started, requests: requests, error: failure.message) }
            events(.failed(failure))
            throw failure
        }
    }

    static func failure(_ error: any Error) -> SyncFailure {
        switch error {
        case let failure as SyncFailure: failure
        case DiscogsError.tokenRejected: SyncFailure(.tokenRejected, DiscogsError.tokenRejected.description)
        case DiscogsError.cancelled, is CancellationError: SyncFailure(.cancelled, "sync interrupted: the mirror is unchanged")
        case let error as DiscogsError: SyncFailure(.failed, error.description)
        case let error as StoreError: SyncFailure(.failed, error.description)
        default: SyncFailure(.failed, "\(error)")
        }
    }

    private func synchronise(_ options: SyncOptions, events: @escaping @Sendable (SyncEvent) -> Void, started: Date, requestsBefore: Int) async throws -> SyncSummary {
        var lap = Date()
        func phase(_ name: String) {
            logger.debug("\(name) in \(String(format: "%.3f", Date().timeIntervalSince(lap))) s")
            lap = Date()
        }
        // Every phase has a time bound derived from its work (see `WorkDeadline`), so that a
        // server that keeps answering slowly can't hold the sync lock for ever.
        let mirror = try await onStore { try self.inventory.syncStore.fingerprints() }
        var snapshot = try await within(requests: mirror.count / 100 + 2) {
            let identity = try await self.client.identity()
            let owner = identity.username.caseInsensitiveCompare(options.seller) == .orderedSame
            events(.identity(username: identity.username, owner: owner))
            phase("identity")
            return try await self.takeSnapshot(options, owner: owner, mirror: mirror, events: events)
        }
        let owner = snapshot.owner
        phase("snapshot of \(snapshot.pagesRead) pages")
        var summary = SyncSummary()
        summary.unreachable = snapshot.unreachable

        var removals: [Int64: RemovalReason] = [:]
        if snapshot.trustworthy {
            let mirrored = try await onStore { try self.inventory.syncStore.mirroredStatuses() }
            let missing = mirrored.keys.filter { !snapshot.contains($0) }.sorted()
            let verdicts = try await within(requests: missing.count) {
                try await self.verify(missing, owner: owner, options: options, events: events)
            }
            for (id, verdict) in verdicts {
                switch verdict {
                case .gone(let reason): removals[id] = reason
                case .stillListed(let record): try snapshot.put(record)
                }
            }
            phase("verification")
        } else {
            summary.removalsDeferred = true
            logger.notice("removals deferred: the inventory changed while it was read, or not every page could be read (\(snapshot.unreachable) unreachable)")
        }

        events(.applying(listings: snapshot.count))
        logger.info("applying \(snapshot.count) listings and \(removals.count) removals")
        var beforeCommit: (@Sendable () -> Void)?
        if options.pauseBeforeCommit > 0 {
            let pause = options.pauseBeforeCommit
            beforeCommit = { Thread.sleep(forTimeInterval: pause) }
        }
        let handover = Handover(snapshot.takeApply(removals: removals, trigger: options.trigger, startedAt: started,
                                                   requests: client.counters.requests - requestsBefore, beforeCommit: beforeCommit))
        let counts = try await onStore { try self.inventory.syncStore.applySnapshot(handover.take()) }
        phase("apply")
        summary.applied = counts

        let enrichment = await enrich(options, events: events)
        phase("enrichment of \(enrichment.fetched) releases")
        summary.releasesFetched = enrichment.fetched
        summary.releasesPending = enrichment.pending
        summary.enrichmentNote = enrichment.note
        return summary
    }

    /// Runs `work` under a deadline sized for `requests` requests at the rate window's pace;
    /// `WorkDeadline.ensure` extends it when more work turns up.
    func within<T: Sendable>(requests: Int, _ work: () async throws -> T) async throws -> T {
        let slot = client.configuration.rateWindow / Double(max(1, client.rateLimit))
        let deadline = WorkDeadline(seconds: WorkDeadline.seconds(forRequests: requests, slot: slot))
        return try await DiscogsClient.$deadline.withValue(deadline) { try await work() }
    }

    /// More requests have become known for the work under way (pages, an export).
    func expect(requests: Int, plus seconds: Double = 0) {
        let slot = client.configuration.rateWindow / Double(max(1, client.rateLimit))
        DiscogsClient.deadline?.ensure(atLeast: WorkDeadline.seconds(forRequests: requests, slot: slot) + seconds)
    }

    enum Verdict: Sendable {
        case gone(reason: RemovalReason)
        case stillListed(ListingRecord)
    }

    /// Asks Discogs about each listing the snapshot lacks: only a 404 or another status removes it.
    private func verify(_ ids: [Int64], owner: Bool, options: SyncOptions, events: @escaping @Sendable (SyncEvent) -> Void) async throws -> [Int64: Verdict] {
        guard !ids.isEmpty else { return [:] }
        var verdicts: [Int64: Verdict] = [:]
        events(.verifying(0, of: ids.count))
        try await forEachConcurrently(ids, limit: options.concurrency) { id in
            (id, try await self.client.listing(id: id))
        } collect: { (id, lookup) in
            switch lookup {
            case .gone:
                verdicts[id] = .gone(reason: owner ? .deleted : .soldOrDeleted)
            case .present(let record) where record.status != options.status:
                verdicts[id] = .gone(reason: record.status == .sold ? .sold : .notForSale(record.status))
            case .present(let record):
                verdicts[id] = .stillListed(record)
            }
            events(.verifying(verdicts.count, of: ids.count))
        }
        return verdicts
    }

    /// Runs `work` on every item, at most `limit` at a time, handing results to `collect` in the
    /// caller's context as they arrive. The first error cancels the rest.
    func forEachConcurrently<Item: Sendable, Result: Sendable>(
        _ items: [Item], limit: Int, work: @escaping @Sendable (Item) async throws -> Result, collect: (Result) throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Result.self) { group in
            var next = 0
            for _ in 0..<min(max(1, limit), items.count) {
                let item = items[next]
                group.addTask { try await work(item) }
                next += 1
            }
            while let result = try await group.next() {
                try collect(result)
                if next < items.count {
                    let item = items[next]
                    group.addTask { try await work(item) }
                    next += 1
                }
            }
        }
    }

    func onStore<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await store.run(body)
    }
}
