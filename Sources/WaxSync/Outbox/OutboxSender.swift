import Foundation
import Logging
import Synchronization
import WaxConfig
import WaxJSON
import WaxPresentation
import WaxStore

/// Sends the outbox to Discogs: each open action, in the order staff made them, is read fresh
/// from Discogs, checked against what the staff member saw, written (the whole listing, changed
/// only where intended), read back, and confirmed once.
///
/// Exactly once, across crashes: every step is recorded before the next starts, and every
/// attempt starts by reading the listing. If Discogs already holds the intended values (an
/// earlier attempt's write landed, its answer lost), the action is confirmed without writing
/// again; if it holds what the staff member saw, the write is (re)sent; anything else is a
/// conflict, and nothing is overwritten.
///
/// One sender per database across processes (`DatabaseLock(.outbox)`). It shares the client,
/// and so the rate limiter, with the sync of its process.
public final class OutboxSender: Sendable {
    public struct Configuration: Sendable {
        /// The seller whose token must be the one in use (`/oauth/identity`).
        public var seller: String
        /// Waits after the first, second… failed attempt (Discogs down, rate-limited): bounded.
        /// A try every 30 s costs 2 of the 60 requests a minute while Discogs is down, and a
        /// sale goes out within 30 s of it coming back (a 5-minute cap made a 50-action backlog
        /// drain in 225 s where the rate window allowed 122).
        public var backoff: [TimeInterval] = [2, 5, 10, 20, 30]
        /// How often the background loop looks for work queued by other processes.
        public var pollInterval: TimeInterval = 1
        /// How long to wait before reading a listing back a second time when the first read
        /// does not show the change yet (Discogs has shown stale values once after an edit).
        public var rereadDelay: TimeInterval = 1
        /// How often a reprice job's status is read while Discogs processes it (the sender
        /// sends other actions meanwhile).
        public var jobPollInterval: TimeInterval = 5
        /// How often an export's status is read (before and after a job).
        public var exportPollInterval: TimeInterval = 5
        public var now: @Sendable () -> Date = { Date() }

        public init(seller: String) { self.seller = seller }
    }

    /// How a drain ended.
    public enum DrainOutcome: Sendable, Equatable {
        /// Nothing open is left.
        case done(confirmed: Int, refused: Int)
        /// The next action waits until `until` (Discogs unreachable, rate-limited).
        case waiting(until: Date, reason: String, open: Int)
        /// Another process sends this database's outbox.
        case busy(holder: String)
        /// The sender can't send at all (the token is not the seller's): actions were failed.
        case unusable(String)
    }

    let inventory: InventoryService
    let client: DiscogsClient
    let configuration: Configuration
    let logger: Logger
    private let store = StoreQueue(label: "wax.outbox.store")
    private let identityChecked = Mutex<Bool>(false)
    private let loop: HeldLoop
    private let wake = AsyncWake()
    /// Told when Discogs shows a listing sold that the shop was selling or holding: an order
    /// is waiting to be polled (the double sale is flagged when it arrives).
    private let soldOnDiscogs = Mutex<(@Sendable () -> Void)?>(nil)

    public init(inventory: InventoryService, client: DiscogsClient, configuration: Configuration, logger: Logger = WaxLogging.logger("wax.outbox")) {
        self.inventory = inventory
        self.client = client
        self.configuration = configuration
        self.logger = logger
        loop = HeldLoop(database: inventory.database.path, job: .outbox)
    }

    // MARK: Running

    /// Sends every open action that is due, in order, and returns how it ended. Takes the
    /// outbox lock for the drain unless this sender already holds it. `ignoringBackoff`: what
    /// waits for its next try is sent now (`wax outbox send`: someone saw Discogs come back; the
    /// back-off is for the background sender).
    public func drain(trigger: String = "outbox", ignoringBackoff: Bool = false) async -> DrainOutcome {
        let held = loop.isHeld
        var drainLock: DatabaseLock?
        if !held {
            do {
                drainLock = try DatabaseLock.acquire(forDatabase: inventory.database.path, job: .outbox, trigger: trigger)
            } catch let busy as DatabaseLock.Busy {
                return .busy(holder: busy.holder)
            } catch {
                return .waiting(until: configuration.now().addingTimeInterval(configuration.backoff[0]), reason: "\(error)",
                                open: await openCount())
            }
        }
        defer { withExtendedLifetime(drainLock) {} }
        return await sendDue(ignoringBackoff: ignoringBackoff)
    }

    /// Keeps sending in the background (a browser, `wax sync --watch`, `wax serve`): drains,
    /// then waits for `pollInterval` or a `nudge()`. The outbox lock is tried each round and kept
    /// once taken, so one process stays the sender while it runs.
    public func start(trigger: String) {
        // Every `pollInterval`, even while an action waits for its next try: a look is one read,
        // and `wax outbox send` from another process makes what waits due at once.
        loop.start(trigger: trigger, idle: configuration.pollInterval, round: { [self] in
            _ = await sendDue()
            return configuration.pollInterval
        }, pause: { [wake] seconds in await wake.wait(upTo: seconds) })
    }

    /// Something was queued here: look now rather than at the next poll.
    public func nudge() { wake.signal() }

    /// Calls `handler` whenever an action finds its listing sold on Discogs (a poll of the
    /// orders then brings the order that did it, and its double sale, without waiting).
    public func whenSoldOnDiscogs(_ handler: @escaping @Sendable () -> Void) {
        soldOnDiscogs.withLock { $0 = handler }
    }

    public func stop() {
        loop.stop()
        wake.signal()
    }

    // MARK: Sending

    private func sendDue(ignoringBackoff: Bool = false) async -> DrainOutcome {
        var confirmed = 0, refused = 0
        // Each action once: one postponed again ends the drain rather than being retried at once.
        var tried = Set<Int64>()
        while !Task.isCancelled {
            let next: CounterAction?
            do {
                next = try await store.run { try self.inventory.outboxQueue.next(now: self.configuration.now()) }
            } catch {
                return .waiting(until: configuration.now().addingTimeInterval(configuration.backoff[0]), reason: "\(error)", open: 0)
            }
            guard let action = next else { return .done(confirmed: confirmed, refused: refused) }
            if let due = action.nextAttemptAt, due > configuration.now(), !ignoringBackoff || tried.contains(action.id) {
                return .waiting(until: due, reason: action.message ?? "waiting", open: await openCount())
            }
            tried.insert(action.id)
            // First in line for the rate window, and few retries inside a request: the outbox
            // keeps its own schedule of tries and says why it waits.
            let step = await DiscogsClient.$priority.withValue(.staff) {
                await DiscogsClient.$attemptLimit.withValue(Self.attemptsPerRequest) { await send(action) }
            }
            switch step {
            case .confirmed, .refused, .processing:
                // Discogs answered: whatever said it was down is over.
                _ = try? await store.run { try self.inventory.outboxQueue.clearTrouble() }
            default:
                break
            }
            switch step {
            case .confirmed: confirmed += 1
            case .refused: refused += 1
            case .processing: continue
            case .postponed(let until, let reason): return .waiting(until: until, reason: reason, open: await openCount())
            case .unusable(let reason): return .unusable(reason)
            }
        }
        return .done(confirmed: confirmed, refused: refused)
    }

    /// Tries per request inside one attempt of an action (a 429 or a 503 retried once, then
    /// the action waits its turn).
    static let attemptsPerRequest = 2

    private enum Step {
        case confirmed, refused
        /// A job Discogs is still working on: looked at again later, other actions go meanwhile.
        case processing
        case postponed(until: Date, reason: String)
        case unusable(String)
    }

    private func send(_ action: CounterAction) async -> Step {
        do {
            try await checkIdentity()
            try await store.run { try self.inventory.outboxQueue.markSending(action.id, now: self.configuration.now()) }
            let listingID: Int64
            switch action.target {
            case .order(let orderID): return try await sendOrder(action, orderID)
            case .run(let runID): return try await sendRun(action, runID)
            case .listing(let id): listingID = id
            }
            if action.kind == .create { return try await sendCreate(action) }
            let attempts = action.attempts + 1
            let before = try await client.listing(id: listingID)
            let current: ListingRecord
            switch before {
            case .gone:
                // A delete whose answer was lost looks like this on the next attempt.
                if action.change.deleted == true, attempts > 1 { return try await confirm(action) }
                return try await refuse(action, .conflict, "listing \(listingID) is no longer on Discogs (deleted there): nothing was done", discogs: nil, gone: true)
            case .present(let record):
                current = record
            }
            if current.status == .sold {
                soldOnDiscogs.withLock { $0 }?()
                let warning = action.kind == .sell
                    ? "SOLD ON DISCOGS TOO: listing \(listingID) was bought online; this is a double sale, check the orders and contact the buyer"
                    : "listing \(listingID) was sold on Discogs meanwhile: nothing was changed"
                return try await refuse(action, .conflict, warning, discogs: current)
            }
            if action.change.deleted != true, action.change.isHeld(by: current) {
                // Already there: an earlier attempt's write landed, or someone did the same.
                return try await confirm(action, read: current)
            }
            if let difference = action.expected.differences(from: current).first {
                return try await refuse(action, .conflict, "\(difference.said(on: "Discogs")): nothing was changed", discogs: current)
            }
            if action.kind == .sell, let quantity = current.quantity, quantity > 1 {
                return try await refuse(action, .failed,
                    "listing \(listingID) has \(quantity) copies on Discogs: its API cannot lower a quantity, sell this one on the website", discogs: current)
            }
            if action.change.deleted == true {
                try await client.deleteListing(id: listingID)
            } else {
                // An edit replaces the whole listing: every field as Discogs holds it now, with
                // only the action's fields changed.
                var edited = current
                action.change.apply(to: &edited)
                let body: [String: JSONValue]
                do {
                    body = try ListingBody.of(edited)
                } catch let unsendable as ListingBody.Unsendable {
                    return try await refuse(action, .conflict, unsendable.description, discogs: current)
                }
                try await client.editListing(id: listingID, fields: body)
            }
            try await store.run { try self.inventory.outboxQueue.markSent(action.id, now: self.configuration.now()) }
            return try await verify(action, listingID)
        } catch let error as DiscogsError {
            return await handle(error, action)
        } catch let notTheSeller as NotTheSeller {
            _ = try? await refuse(action, .failed, "\(notTheSeller.description); then `wax outbox retry \(action.id)`", discogs: nil)
            return .unusable(notTheSeller.description)
        } catch {
            return await postpone(action, reason: "\(error)")
        }
    }

    /// A new listing. Before any retry (an attempt whose answer may have been lost, a process
    /// killed in the middle) the seller's newest listings are searched for the action's marker:
    /// found, it is adopted; only when it is not there is it created. A 422 (a field Discogs
    /// will not take) refuses it, and the provisional listing leaves the mirror.
    private func sendCreate(_ action: CounterAction) async throws -> Step {
        guard let marker = action.note else { return try await refuse(action, .failed, "a new listing without its marker can't be sent safely", discogs: nil) }
        if action.state != .queued || action.attempts > 0, let found = try await findCreated(marker) {
            return try await adopt(action, found)
        }
        var record = ListingRecord(listingID: 0)
        action.change.apply(to: &record)
        let body: [String: JSONValue]
        do {
            body = try ListingBody.of(record)
        } catch let unsendable as ListingBody.Unsendable {
            return try await refuse(action, .failed, unsendable.description, discogs: nil)
        }
        let id: Int64
        do {
            id = try await client.createListing(fields: body)
        } catch DiscogsError.invalidRequest(_, let message) {
            return try await refuse(action, .failed, "Discogs would not list it: \(message)", discogs: nil)
        }
        try await store.run { try self.inventory.outboxQueue.markSent(action.id, now: self.configuration.now()) }
        // Read back: the listing as Discogs holds it replaces the provisional one.
        switch try await client.listing(id: id) {
        case .present(let created): return try await adopt(action, created)
        case .gone: return try await refuse(action, .failed, "Discogs answered listing \(id) but does not show it: look on the website", discogs: nil)
        }
    }

    /// A reprice run as one change job. First Discogs' inventory is read (an export: a few
    /// requests for any number of listings) and every listing whose price is no longer what the
    /// run saw is refused as a conflict; the rest go in one CSV. A retry (an answer lost, a
    /// process killed) reads first too: rows already at their new price are not sent again.
    /// While Discogs processes the job, the sender goes on with other actions and looks again
    /// every `jobPollInterval`; when it is done, the inventory is read again and each listing
    /// is confirmed or failed by what Discogs shows.
    private func sendRun(_ action: CounterAction, _ runID: Int64) async throws -> Step {
        let reprice = inventory.reprice
        guard let run = try await store.run({ try reprice.run(id: runID) }) else {
            return try await refuse(action, .failed, "reprice run \(runID) is not in the mirror", discogs: nil)
        }
        let now = configuration.now
        if run.jobURL == nil {
            let before = try await client.currentPrices(pollInterval: configuration.exportPollInterval)
            let rows = try await store.run { try reprice.prepareJob(run: runID, discogs: before, now: now()) }
            if rows.isEmpty {
                return try await settleRun(action, runID, results: nil, discogs: before)
            }
            let url = try await client.uploadChanges(csv: DiscogsClient.changeCSV(rows))
            try await store.run {
                try reprice.jobStarted(run: runID, url: url.absoluteString, now: now())
                try self.inventory.outboxQueue.markSent(action.id, now: now())
            }
            logger.info("outbox #\(action.id) reprice run \(runID): \(rows.count) listings sent as one change job")
            return try await pollRun(action, runID, url)
        }
        guard let url = run.jobURL.flatMap(URL.init(string:)) else {
            return try await refuse(action, .failed, "reprice run \(runID) names no job Discogs can be asked about", discogs: nil)
        }
        return try await pollRun(action, runID, url)
    }

    private func pollRun(_ action: CounterAction, _ runID: Int64, _ url: URL) async throws -> Step {
        let status = try await client.uploadStatus(url)
        try await store.run { try self.inventory.reprice.jobStatus(run: runID, status.status) }
        guard status.finished else {
            let until = configuration.now().addingTimeInterval(configuration.jobPollInterval)
            try await store.run {
                try self.inventory.outboxQueue.wait(action.id, until: until, message: "Discogs is processing the job (\(status.status))", now: self.configuration.now())
            }
            return .processing
        }
        let after = try await client.currentPrices(pollInterval: configuration.exportPollInterval)
        return try await settleRun(action, runID, results: status.results, discogs: after)
    }

    private func settleRun(_ action: CounterAction, _ runID: Int64, results: String?, discogs: [Int64: RepriceStore.DiscogsPrice]) async throws -> Step {
        let now = configuration.now()
        let (confirmed, failed) = try await store.run {
            try self.inventory.reprice.settle(run: runID, discogs: discogs, results: results, user: action.user, actionID: action.id, now: now)
        }
        let counts = try await store.run { try self.inventory.reprice.run(id: runID)?.counts ?? [:] }
        let conflicts = counts[.conflict] ?? 0
        let message = "\(confirmed) repriced\(failed > 0 ? ", \(failed) failed" : "")\(conflicts > 0 ? ", \(conflicts) changed on Discogs since the preview (left as they are)" : "")"
        logger.info("outbox #\(action.id) reprice run \(runID): \(message)")
        if confirmed == 0 && (failed > 0 || conflicts > 0) {
            return try await refuse(action, .failed, message, discogs: nil)
        }
        try await store.run { try self.inventory.outboxQueue.confirmRun(action.id, message: message, now: now) }
        return .confirmed
    }

    /// The listing holding `marker` among the seller's newest (a few pages: it was made
    /// moments or minutes ago).
    private func findCreated(_ marker: String) async throws -> ListingRecord? {
        for page in 1...Self.markerSearchPages {
            let listings = try await client.newestListings(seller: configuration.seller, page: page)
            if let found = listings.first(where: { $0.externalID?.contains("[\(marker)]") == true }) { return found }
            if listings.count < 100 { break }
        }
        return nil
    }

    /// Pages of newest listings searched for a lost creation: 300 listings made since.
    static let markerSearchPages = 3

    private func adopt(_ action: CounterAction, _ listing: ListingRecord) async throws -> Step {
        let now = configuration.now()
        if try await store.run({ try self.inventory.outboxQueue.adopt(action.id, as: listing, now: now) }) {
            logger.info("outbox #\(action.id) confirmed: new listing \(listing.listingID) \(ActionText.summary(action)) by \(action.user)")
        }
        return .confirmed
    }

    /// An order's status change: read the order, check it is still what the staff member saw
    /// and that Discogs offers the new status, send it (with the message, if any), read back.
    private func sendOrder(_ action: CounterAction, _ orderID: String) async throws -> Step {
        guard let target = action.change.orderStatus else { return try await refuse(action, .failed, "no status to set", discogs: nil) }
        guard let current = try await client.order(id: orderID) else {
            return try await refuse(action, .conflict, "order \(orderID) is not on Discogs (or not this seller's)", discogs: nil)
        }
        if current.status == target { return try await confirmOrder(action, current) }
        if let seen = action.expected.orderStatus, current.status != seen {
            return try await refuse(action, .conflict, "order \(orderID) is \(current.status) on Discogs, you saw \(seen): nothing was changed", discogs: nil)
        }
        guard current.nextStatus.contains(target) else {
            return try await refuse(action, .failed, "Discogs does not offer \(target) for order \(orderID) (it offers \(current.nextStatus.map(\.rawValue).joined(separator: ", ")))", discogs: nil)
        }
        if let message = action.note {
            try await client.postOrderMessage(id: orderID, message: message, status: target)
        } else {
            try await client.setOrderStatus(id: orderID, status: target)
        }
        try await store.run { try self.inventory.outboxQueue.markSent(action.id, now: self.configuration.now()) }
        guard let after = try await client.order(id: orderID), after.status == target else {
            return try await refuse(action, .failed, "Discogs accepted the change but order \(orderID) does not show \(target): look at it on the website", discogs: nil)
        }
        return try await confirmOrder(action, after)
    }

    private func confirmOrder(_ action: CounterAction, _ order: OrderRecord) async throws -> Step {
        let step = try await confirm(action)
        _ = try? await store.run { try self.inventory.orderBook.applyOrders([order]) }
        return step
    }

    /// Reads the listing back: the action is confirmed only when Discogs shows it.
    private func verify(_ action: CounterAction, _ listingID: Int64) async throws -> Step {
        for attempt in 0..<2 {
            if attempt > 0 { try await configuration.sleep(configuration.rereadDelay) }
            switch try await client.listing(id: listingID) {
            case .gone where action.change.deleted == true:
                return try await confirm(action)
            case .present(let record) where action.change.deleted != true && action.change.isHeld(by: record):
                return try await confirm(action, read: record)
            case .present(let record) where attempt == 1:
                let difference = action.change.differences(from: record).first
                return try await refuse(action, .failed,
                    "Discogs accepted the change but shows \(difference.map { "\($0.field.name) \($0.theirs.map(\.description) ?? "(none)")" } ?? "something else"): look at the listing on the website",
                    discogs: record)
            default:
                continue
            }
        }
        return try await refuse(action, .failed, "Discogs accepted the change but the listing does not show it: look at it on the website", discogs: nil)
    }

    private func handle(_ error: DiscogsError, _ action: CounterAction) async -> Step {
        switch error {
        case .refusedRedirect, .insecureURL:
            // DISCOGS_API_URL sends wax elsewhere: nothing to retry until someone fixes it. The
            // action stays queued; the drain ends now, saying where it was sent.
            return .unusable(error.description)
        case .tokenRejected:
            return (try? await refuse(action, .failed, "\(error.description); then `wax outbox retry \(action.id)`", discogs: nil)) ?? .refused
        case .forbidden(_, let message):
            return (try? await refuse(action, .failed, "Discogs refused the change (403: \(message)); actions need the seller's own token", discogs: nil)) ?? .refused
        case .invalidRequest(_, let message), .badResponse(_, _, let message):
            // Sold on the website between the read and the write is the usual reason: look.
            if let listingID = action.listingID, listingID > 0, case .present(let record)? = try? await client.listing(id: listingID), record.status == .sold {
                return (try? await refuse(action, .conflict,
                    "SOLD ON DISCOGS TOO: listing \(listingID) was bought online while wax was changing it; check the orders", discogs: record)) ?? .refused
            }
            return (try? await refuse(action, .failed, "Discogs refused the change: \(message)", discogs: nil)) ?? .refused
        case .cancelled:
            return await postpone(action, reason: "interrupted")
        default:
            if let trouble = error.unreachableReason {
                let now = configuration.now()
                _ = try? await store.run { try self.inventory.outboxQueue.noteTrouble(trouble, now: now) }
            }
            return await postpone(action, reason: error.description)
        }
    }

    private func checkIdentity() async throws {
        guard !identityChecked.withLock({ $0 }) else { return }
        let identity = try await client.identity()
        guard identity.username.caseInsensitiveCompare(configuration.seller) == .orderedSame else {
            throw NotTheSeller(username: identity.username, seller: configuration.seller)
        }
        identityChecked.withLock { $0 = true }
    }

    struct NotTheSeller: Error, CustomStringConvertible {
        let username: String
        let seller: String
        var description: String {
            "the Discogs token is \(username)'s, not the seller \(seller)'s: actions need the seller's own token"
        }
    }

    /// Confirms the action; `read` (the listing as Discogs showed it just now) then replaces the
    /// mirror's copy, every field.
    private func confirm(_ action: CounterAction, read: ListingRecord? = nil) async throws -> Step {
        let now = configuration.now()
        if try await store.run({ try self.inventory.outboxQueue.confirm(action.id, now: now) }) {
            logger.info("outbox #\(action.id) confirmed: \(action.target) \(ActionText.summary(action)) by \(action.user)")
        }
        if let read { try await store.run { try self.inventory.outboxQueue.refresh(read, now: now) } }
        return .confirmed
    }

    private func refuse(_ action: CounterAction, _ state: ActionState, _ message: String, discogs: ListingRecord?, gone: Bool = false) async throws -> Step {
        let now = configuration.now()
        try await store.run {
            try self.inventory.outboxQueue.refuse(action.id, as: state, message: message, discogs: discogs, discogsGone: gone, now: now)
            if let discogs, action.orderID == nil { try self.inventory.outboxQueue.refresh(discogs, now: now) }
        }
        logger.warning("outbox #\(action.id) \(state.rawValue): \(action.target) \(ActionText.summary(action)) by \(action.user): \(message)")
        return .refused
    }

    private func postpone(_ action: CounterAction, reason: String) async -> Step {
        let attempt = action.attempts + 1
        let wait = configuration.backoff[min(attempt - 1, configuration.backoff.count - 1)]
        let now = configuration.now()
        let until = now.addingTimeInterval(wait)
        let message = "waiting for Discogs (attempt \(attempt)): \(reason)"
        // A store that can't record the wait leaves the action `sending`: the next attempt reads first anyway.
        _ = try? await store.run { try self.inventory.outboxQueue.postpone(action.id, attempt: attempt, until: until, message: message, now: now) }
        logger.notice("outbox #\(action.id) \(message); next try in \(Int(wait)) s")
        return .postponed(until: until, reason: reason)
    }

    private func openCount() async -> Int { (try? await store.run { try self.inventory.outbox.openCount() }) ?? 0 }

}

extension OutboxSender.Configuration {
    func sleep(_ seconds: TimeInterval) async throws {
        try await Task.sleep(for: .seconds(seconds))
    }
}

/// A wake-up call for a loop that otherwise sleeps: `signal()` ends the current (or next) wait.
/// Only a signal is remembered for the next wait; a wait that ran its time (or was cancelled)
/// leaves nothing behind, so a nudge costs one round, not two.
final class AsyncWake: Sendable {
    private struct State {
        var signalled = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter else {
                s.signalled = true
                return nil
            }
            s.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Ends wait `id` if it is still the one waiting (its time ran out).
    private func expire(_ id: UInt64) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter, waiter.id == id else { return nil }
            s.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns after `seconds`, or as soon as `signal()` is called.
    func wait(upTo seconds: TimeInterval) async {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        let timer = Task { [weak self] in
            do { try await Task.sleep(for: .seconds(seconds)) } catch { return }
            self?.expire(id)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.signalled {
                    s.signalled = false
                    return true
                }
                s.waiter = (id, continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
        // Its timer is over before the next wait begins: nothing of this one outlives it.
        timer.cancel()
        await timer.value
    }

    /// A signal waiting for the next wait (tests).
    var isSignalled: Bool { state.withLock { $0.signalled } }
    /// Someone is waiting now (tests).
    var isWaiting: Bool { state.withLock { $0.waiter != nil } }
}
