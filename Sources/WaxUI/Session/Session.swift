import Foundation
import Synchronization
import WaxConfig
import WaxPresentation
import WaxStore
import WaxSync
import WaxText

/// Sync events on their way to the UI: the sync posts from its own threads, the UI loop drains
/// them between key presses. The only thing the two share.
public final class SyncInbox: Sendable {
    private let events = Mutex<[SyncEvent]>([])

    public init() {}

    public func post(_ event: SyncEvent) { events.withLock { $0.append(event) } }

    func drain() -> [SyncEvent] { events.withLock { list in defer { list.removeAll() }; return list } }
}

/// What the browser needs to act at the counter: who is at the keyboard, whether actions are
/// on, how a sale leaves Discogs, and how to wake this process's outbox sender.
public struct CounterAccess: Sendable {
    public var user: String
    public var availability: CounterAvailability
    public var soldInShop: SoldInShopMode
    public var nudge: @Sendable () -> Void
    /// Discogs' database and prices for taking stock in; nil where this wax has no token.
    public var intake: IntakeLookup?
    public var rounding: PriceRounding
    public var priceLimit: Double

    public init(user: String, availability: CounterAvailability, soldInShop: SoldInShopMode = .draft, nudge: @escaping @Sendable () -> Void = {},
                intake: IntakeLookup? = nil, rounding: PriceRounding = .step(0.5), priceLimit: Double = FieldRules.defaultPriceLimit) {
        self.user = user
        self.availability = availability
        self.soldInShop = soldInShop
        self.nudge = nudge
        self.intake = intake
        self.rounding = rounding
        self.priceLimit = priceLimit
    }
}

/// What Discogs answered the intake form, on its way from the task that asked to the UI loop.
final class IntakeInbox: Sendable {
    private let results = Mutex<[IntakeResult]>([])
    func post(_ result: IntakeResult) { results.withLock { $0.append(result) } }
    func drain() -> [IntakeResult] { results.withLock { list in defer { list.removeAll() }; return list } }
}

/// The browser's data side: turns the effects key handlers ask for into reads from the mirror
/// (always a window, never the whole table), starts syncs, folds sync events into the state,
/// and notices commits by other processes. No curses: tests drive it and read its frames.
public final class Session {
    public private(set) var state: AppState
    private let inventory: InventoryService
    private let runner: SyncRunner?
    private let inbox: SyncInbox
    private let clock: () -> Date
    /// The mirror's change counters as this browser last read them.
    private var seen = MirrorChangeCounters()
    /// The orders this browser knows of: any other is announced as new.
    private var knownOrders: Set<String> = []
    /// The double sales this browser has announced (order|listing).
    private var announcedDoubleSales: Set<String> = []
    private var lastChangeCheck = Date.distantPast
    /// How often the mirror's change counters are read (one small row): what another wax did
    /// shows within this.
    static let changeCheckInterval: TimeInterval = 0.5
    private let counter: CounterAccess?
    /// This session's actions not yet confirmed or refused: their outcome is announced.
    private var watched: [Int64] = []
    /// The listings this session's intake created (their actions), for its tally.
    private var intakeActions: [Int64] = []
    private let intakeInbox = IntakeInbox()
    /// The lookups the intake form started (their answers come through `intakeInbox`).
    private var intakeTasks: [Task<Void, Never>] = []

    public init(inventory: InventoryService, runner: SyncRunner?, inbox: SyncInbox, shop: String,
                columns: Int, rows: Int, syncAvailable: Bool, configFile: String? = nil, time: LocalTime = .system,
                restoring saved: SavedView? = nil, counter: CounterAccess? = nil, now: @escaping () -> Date = Date.init) throws {
        self.inventory = inventory
        self.counter = counter
        self.runner = runner
        self.inbox = inbox
        self.clock = now
        state = AppState()
        state.shop = shop
        if let configFile { state.configFile = configFile }
        state.time = time
        state.columns = columns
        state.rows = rows
        state.now = now()
        if !syncAvailable { state.sync.phase = .unavailable }
        // Read before the data: a change landing in between is read again at the first tick.
        seen = try inventory.changeCounters()
        if let last = try inventory.reports.syncRuns(limit: 5).first(where: { $0.outcome == "succeeded" }) {
            state.sync.lastFinished = last.finishedAt
            state.sync.lastCounts = (last.added, last.removed, last.updated)
        }
        state.counter = counter?.availability ?? .off("actions are off in this wax")
        state.soldInShop = counter?.soldInShop ?? .draft
        state.intakeAvailable = counter?.intake != nil
        state.priceRounding = counter?.rounding ?? .step(0.5)
        state.priceLimit = counter?.priceLimit ?? FieldRules.defaultPriceLimit
        saved?.restore(into: &state)
        try perform(.reload)
        if saved != nil, state.total == 0, !state.query.text.isEmpty {
            // The last search finds nothing now: start from the whole list rather than an empty one.
            state.notice = .info("your last search \"\(state.query.text)\" finds nothing now: cleared")
            state.query.text = ""
            try perform(.reload)
        }
        try refreshOutbox()
        knownOrders = try inventory.orderBook.orderIDs()
        try refreshDoubleSales(announce: true)
        inventory.prepareInBackground()
    }

    /// A key: the reducer changes the state, the session reads what it asked for, and what is
    /// left for the terminal (draw, repaint, copy, quit) is returned.
    @discardableResult
    public func handle(_ key: Key) throws -> Effects {
        state.now = clock()
        let effects = Reducer.handle(key, &state)
        try perform(effects)
        return effects.intersection(.terminal)
    }

    /// Between keys: folds in sync events, and reloads when the mirror changed (a sync here or
    /// another wax process committed). Returns what the terminal must do (a redraw, or nothing).
    @discardableResult
    public func tick() throws -> Effects {
        var redraw = false
        var committed = false
        for event in inbox.drain() {
            committed = state.sync.apply(event, now: clock()) || committed
            if case .failed(let failure) = event, failure.kind != .busy { state.notice = .info("sync failed: \(failure.message)") }
            redraw = true
        }
        if try takeIntakeResults() { redraw = true }
        let now = clock()
        if state.now.timeIntervalSince1970.rounded(.down) / 30 != now.timeIntervalSince1970.rounded(.down) / 30 {
            redraw = true   // "12 min ago" moves on
        }
        state.now = now
        if committed || now.timeIntervalSince(lastChangeCheck) >= Self.changeCheckInterval {
            lastChangeCheck = now
            let counters = try inventory.changeCounters()
            let changed = counters.changes(since: seen)
            seen = counters
            if changed.contains(.listings) {
                try perform(.reload)
                // The new generation's index has only what this reload needed: the rest is
                // built off this thread, before the next filter, search or sort asks for it.
                inventory.prepareInBackground()
                // Another wax committed: the sync it was running is over.
                state.sync.busy = nil
            } else if changed.contains(.holds) && state.query.heldOnly == true {
                try perform(.refilter)
            } else if !changed.isDisjoint(with: [.outbox, .holds]) {
                // A confirmation, a hold elsewhere: the marks on the rows on screen and the
                // listing on show change, not which listings there are. The index stays.
                try loadWindow()
                if let shown = state.detail { state.detail = try inventory.listing(id: shown.id) }
            }
            if !changed.isDisjoint(with: [.outbox, .holds]) { try refreshOutbox() }
            // A poll commits the listings it sold too: the reload above has read the orders.
            if changed.contains(.orders) { try refreshOrders(load: !changed.contains(.listings)) }
            if !changed.isEmpty { redraw = true }
        }
        return redraw ? .redraw : []
    }

    public var frame: ScreenGrid { Renderer.render(state) }

    /// What to put back at the next start.
    public var savedView: SavedView { SavedView(state) }

    /// Checks the mirror's change counters now rather than at the next second (tests).
    func forceChangeCheck() throws {
        lastChangeCheck = .distantPast
        _ = try tick()
    }

    /// Shows a failure (a locked database, a full disk) in the message line instead of dying.
    public func report(_ error: any Error) {
        state.notice = .info("\(error)")
    }

    public func report(_ message: String) {
        state.notice = .info(message)
    }

    // MARK: Effects

    /// Runs the reads `effects` ask for (facets and changes only while they show).
    func perform(_ effects: Effects) throws {
        var effects = effects
        var said: Notice??
        if let intake = effects.intake {
            if try startIntake(intake) { effects.formUnion(.reload) }
        }
        if let request = effects.reprice {
            try reprice(request)
        }
        if let request = effects.request {
            try act(request)
            said = state.notice
            effects.formUnion(.reload)
        }
        // What the action said stays on show (not "… left the list", which the reload says of a sale).
        defer { if let said { state.notice = said } }
        if effects.contains(.refilter) {
            // The mirror may have changed under the listing on show (a sync, an action).
            if let shown = state.detail { state.detail = try inventory.listing(id: shown.id) }
            try refilter(keepSelection: effects.contains(.findSelected))
        }
        else if effects.contains(.findSelected) { try findSelected() }
        if effects.contains(.showSelected) { try showSelected() }
        if effects.contains(.loadWindow) { try loadWindow() }
        if effects.contains(.loadDetail) { try loadDetail() }
        if effects.contains(.loadFacets), state.filterOpen { try loadFacets() }
        if effects.contains(.loadChanges), state.overlay == .changes {
            state.changes = ChangeRow.collapse(try inventory.reports.changes(since: clock().addingTimeInterval(-7 * 86_400), limit: 2_000))
        }
        if effects.contains(.loadOrders), state.overlay == .orders || state.overlay == .pickList { try loadOrders() }
        if effects.contains(.startSync), let runner, !runner.start(.key) {
            state.notice = .info("a sync is already running")
        }
        if effects.contains(.quit) { runner?.stop() }
        state.detailScroll = min(state.detailScroll, DetailView.maxScroll(state))
        state.orders.scroll = min(state.orders.scroll, OrdersView.maxScroll(state))
    }

    // MARK: Counter

    /// Queues a staff action (or undoes the last one): the mirror shows it at once, the sender
    /// is woken, and its outcome is announced when Discogs confirms or refuses it.
    private func act(_ request: CounterRequest) throws {
        if case .setPicked(let orderID, let listingID, let picked) = request {
            // A mark on the shared pick list: the mirror's alone, so even a read-only wax may.
            try inventory.orderBook.setPicked(orderID: orderID, listingID: listingID, picked: picked, user: counter?.user ?? "staff", now: clock())
            return
        }
        if case .giveUpHold(let listingID) = request {
            do {
                let resolved = try inventory.orderBook.giveUpHold(listingID: listingID, user: counter?.user ?? "staff", now: clock())
                state.notice = .info(OrderFormat.doubleSale(resolved, in: try inventory.orderBook.order(id: resolved.orderID))
                    + "; tell \(resolved.customer ?? "the customer") it is gone")
                try refreshDoubleSales(announce: false)
            } catch let refusal as ActionRefusal {
                state.notice = .problem(refusal.description)
            }
            return
        }
        guard let counter else { return }
        do {
            switch request {
            case .orderStatus(let orderID, let status, let message):
                let queued = try inventory.orderBook.enqueueStatus(orderID: orderID, status: status, message: message, user: counter.user, now: clock())
                watched.append(queued.id)
                state.notice = .info("#\(queued.id) \(ActionText.summary(queued)): on its way to Discogs")
            case .setPicked, .giveUpHold:
                return
            case .act(var action):
                action.soldInShop = counter.soldInShop
                action.priceLimit = counter.priceLimit
                let queued = try inventory.outbox.enqueue(action, user: counter.user, now: clock())
                watched.append(queued.id)
                state.notice = .info("#\(queued.id) \(ActionText.summary(queued))\(ActionText.record(queued)): on its way to Discogs")
            case .undo:
                switch try inventory.outbox.undoLast(user: counter.user, now: clock()) {
                case .cancelled(let cancelled):
                    watched.removeAll { $0 == cancelled.id }
                    state.notice = .info("#\(cancelled.id) \(ActionText.summary(cancelled)): cancelled before it left")
                case .queued(let undo, let undoing):
                    watched.append(undo.id)
                    state.notice = .info("undoing #\(undoing.id) (\(ActionText.summary(undoing))): on its way to Discogs")
                }
            }
            counter.nudge()
            try refreshOutbox()
        } catch let refusal as ActionRefusal {
            state.notice = .problem(refusal.description)
        }
    }

    // MARK: Repricing

    /// A rule's preview over the listings on show (the filters and search in force), or a
    /// previewed run recorded and handed to the sender.
    private func reprice(_ request: RepriceRequest) throws {
        switch request {
        case .preview(let rule):
            var query = state.query
            query.includeRemoved = false
            query.limit = nil
            let candidates = try inventory.reprice.candidates(ids: try inventory.searchIDs(query))
            state.shopCurrency = try inventory.intake.shopCurrency()
            let plan = RepricePlanner.plan(candidates, rule: rule, selection: FilterSummary.selection(state.query), shopCurrency: state.shopCurrency,
                                           priceLimit: state.priceLimit)
            state.reprice?.plan = plan
            state.reprice?.scroll = 0
        case .send(let plan):
            guard let counter else { return }
            do {
                let run = try inventory.reprice.record(plan, user: counter.user, now: clock())
                state.reprice = nil
                state.notice = .info("reprice run \(run.id): \(run.total) new price\(run.total == 1 ? "" : "s") on \(run.method == .job ? "their way to Discogs as one job" : "their way to Discogs")")
                counter.nudge()
                try refreshOutbox()
            } catch let refusal as ActionRefusal {
                state.notice = .problem(refusal.description)
            }
        }
    }

    // MARK: Taking stock in

    /// Starts what the intake form asked: Discogs' answers come back through the inbox (the
    /// key loop never waits on the network); a new listing is queued at once. True when the
    /// mirror changed.
    private func startIntake(_ request: IntakeRequest) throws -> Bool {
        guard let counter, let lookup = counter.intake else { return false }
        let inbox = intakeInbox, inventory = self.inventory
        switch request {
        case .identify(let input):
            // Read when intake starts, not at the first frame (a count over every listing).
            let currency = try inventory.intake.shopCurrency()
            state.shopCurrency = currency
            // Read into a local first: `state.intake?.currency = state.shopCurrency` reads
            // `state` while writing it (an exclusivity violation on a class's property).
            if state.intake?.currency == nil { state.intake?.currency = currency }
            intakeTasks.append(Task.detached {
                do {
                    let found = try await lookup.identify(input)
                    var stock: [Int64: ReleaseStock] = [:]
                    for candidate in found.candidates { stock[candidate.id] = try inventory.intake.stock(ofRelease: candidate.id) }
                    inbox.post(.identified(found, stock: stock))
                } catch {
                    inbox.post(.failed("Discogs: \(error)"))
                }
            })
            return false
        case .advise(let release):
            let currency = state.shopCurrency
            intakeTasks.append(Task.detached {
                do {
                    async let details = lookup.details(of: release.id)
                    async let advice = lookup.advice(for: release.id, currency: currency)
                    let facts = try await details.map(IntakeText.facts) ?? []
                    inbox.post(.advised(releaseID: release.id, facts: facts, try await advice))
                } catch {
                    inbox.post(.failed("Discogs: \(error)"))
                }
            })
            return false
        case .list(let listing):
            do {
                let queued = try inventory.intake.enqueue(listing, user: counter.user, priceLimit: counter.priceLimit, now: clock())
                watched.append(queued.id)
                intakeActions.append(queued.id)
                state.notice = .info("#\(queued.id) \(ActionText.summary(queued))\(ActionText.record(queued)): on its way to Discogs")
                counter.nudge()
                try refreshOutbox()
                return true
            } catch let refusal as ActionRefusal {
                state.intake?.problem = refusal.description
                return false
            }
        }
    }

    /// Folds Discogs' answers into the form; a pressing chosen by the answer (the only one
    /// found) has its details and prices asked for at once.
    private func takeIntakeResults() throws -> Bool {
        let results = intakeInbox.drain()
        // The handles are kept only for `settleIntake`; once the form is closed, nothing waits on them.
        if state.overlay != .intake { intakeTasks.removeAll() }
        if let form = state.intake, form.waiting != nil, let lookup = counter?.intake {
            let wait = Int(lookup.client.rateWait().rounded(.up))
            if form.windowWait != wait {
                state.intake?.windowWait = wait
                if results.isEmpty { return true }
            }
        }
        guard !results.isEmpty else { return false }
        for result in results {
            let chosen = state.intake?.release?.id
            IntakeModel.apply(result, &state)
            if let release = state.intake?.release, release.id != chosen, state.intake?.advice == nil {
                _ = try startIntake(.advise(release))
            }
        }
        return true
    }

    /// Waits for the intake form's lookups (tests).
    func settleIntake() async {
        let tasks = intakeTasks
        intakeTasks = []
        for task in tasks { await task.value }
        _ = try? takeIntakeResults()
    }

    /// The waiting count, and the outcome of this session's own actions once final.
    private func refreshOutbox() throws {
        state.outboxWaiting = try inventory.outbox.openCount()
        state.repriceProgress = try inventory.reprice.openRuns().first.map { run in
            "reprice run \(run.id): \(run.open) of \(run.total) waiting" + (run.method == .job ? " (job \(run.jobStatus ?? "queued"))" : "")
        }
        if !intakeActions.isEmpty, state.intake != nil {
            var tally = IntakeForm.Tally()
            for id in intakeActions {
                switch try inventory.outbox.action(id: id)?.state {
                case .confirmed?: tally.listed += 1
                case .queued?, .sending?, .sent?: tally.waiting += 1
                case .conflict?, .failed?, .cancelled?, nil: tally.failed += 1
                }
            }
            state.intake?.tally = tally
        }
        state.discogsTrouble = try inventory.outboxQueue.trouble()
        if let user = counter?.user {
            state.undoTarget = try inventory.outbox.lastUndoable(user: user).map(ActionText.line)
        }
        for id in watched {
            guard let action = try inventory.outbox.action(id: id), !action.state.isOpen else { continue }
            watched.removeAll { $0 == id }
            switch action.state {
            case .confirmed:
                state.notice = .info("#\(action.id) \(ActionText.summary(action))\(ActionText.record(action)): confirmed on Discogs")
            case .cancelled:
                state.notice = .info("#\(action.id) \(ActionText.summary(action))\(ActionText.record(action)): cancelled")
            default:
                state.notice = .problem("#\(action.id) \(ActionText.summary(action))\(ActionText.record(action)): \(action.state.rawValue.uppercased()): \(action.message ?? "refused")")
            }
        }
    }

    // MARK: Orders

    /// Another process (the poller, a status change, a pick) changed the orders: read them again
    /// if they show, and announce the new ones, double sales loudest.
    private func refreshOrders(load: Bool) throws {
        let ids = try inventory.orderBook.orderIDs()
        let new = ids.subtracting(knownOrders)
        knownOrders = ids
        if load, state.overlay == .orders || state.overlay == .pickList { try loadOrders() }
        if !new.isEmpty {
            if state.overlay != .orders && state.overlay != .pickList { state.orders.newOrders += new.count }
            state.notice = .info("\(new.count) new order\(new.count == 1 ? "" : "s") from Discogs (b shows the orders, P the pick list)")
        }
        try refreshDoubleSales(announce: true)
    }

    /// The double sales nobody has resolved, for the status bar; one this browser has not
    /// announced yet is said on the message line, in red, whoever's action it was.
    private func refreshDoubleSales(announce: Bool) throws {
        let sales = try inventory.orderBook.unresolvedDoubleSales()
        var orders: [String: Order] = [:]
        for id in Set(sales.map(\.orderID)) { orders[id] = try inventory.orderBook.order(id: id) }
        state.orders.doubleSales = sales.map { DoubleSaleAlert(sale: $0, order: orders[$0.orderID]) }
        let fresh = state.orders.doubleSales.filter { !announcedDoubleSales.contains($0.key) }
        announcedDoubleSales.formUnion(fresh.map(\.key))
        if announce, let first = fresh.first {
            state.notice = .problem(OrderFormat.doubleSale(first.sale, in: first.order) + (fresh.count > 1 ? " (and \(fresh.count - 1) more: b)" : ""))
        }
    }

    private func loadOrders() throws {
        let board = state.orders
        state.orders.orders = try inventory.orderBook.orders(limit: 500)
        state.orders.pickItems = try inventory.orderBook.pickList()
        // The cursor stays on the same order (or item) when others arrive above it.
        if let id = board.selected?.id, let index = state.orders.orders.firstIndex(where: { $0.id == id }) { state.orders.cursor = index }
        state.orders.cursor = min(state.orders.cursor, max(0, state.orders.orders.count - 1))
        state.orders.pickCursor = min(state.orders.pickCursor, max(0, state.orders.pickItems.count - 1))
        if let open = board.open { state.orders.open = try inventory.orderBook.order(id: open.id) }
    }

    private func refilter(keepSelection: Bool) throws {
        state.inventoryTotal = try inventory.count(ListingQuery())
        state.total = try inventory.count(state.query)
        if keepSelection, let id = state.selectedID {
            try findSelected()
            // The listing on show left the list under the staff member's eyes: say why, rather
            // than silently select another.
            if state.selected?.id != id, let gone = try inventory.listing(id: id), gone.isRemoved {
                let name = ListingFormat.name(gone)
                state.notice = .info("\(name) left the list: \(gone.removedReason ?? "removed") (c shows what changed)")
            }
        } else {
            state.cursor = min(state.cursor, max(0, state.total - 1))
            Reducer.scrollToCursor(&state)
            try loadWindow()
        }
    }

    /// Puts the cursor on `selectedID` if it is in the result; otherwise keeps the row number.
    private func findSelected() throws {
        if let id = state.selectedID, let position = try inventory.position(of: id, in: state.query) {
            state.cursor = position
        } else {
            state.cursor = min(state.cursor, max(0, state.total - 1))
        }
        Reducer.scrollToCursor(&state)
        try loadWindow()
        try loadDetail()
    }

    /// The details of `selectedID`: selected in the list when it is there, else shown on their
    /// own (a sold listing from the changes view, with its bin).
    private func showSelected() throws {
        guard let id = state.selectedID else { return }
        if try inventory.position(of: id, in: state.query) != nil {
            try findSelected()
            state.detail = try inventory.listing(id: id)
        } else {
            state.detail = try inventory.listing(id: id)
        }
        guard state.detail != nil else { return }
        Reducer.focusDetail(&state)
    }

    /// Reads the visible rows plus a screen above and below, so that scrolling reads rarely.
    private func loadWindow() throws {
        let visible = max(1, state.layout.listRows)
        let start = max(0, state.scrollTop - visible)
        var query = state.query
        query.offset = start
        query.limit = visible * 3
        state.window = state.total == 0 ? [] : try inventory.search(query)
        state.windowStart = start
        state.selectedID = state.selected?.id ?? state.selectedID
    }

    /// Counts for the filter pane. The kind on show is counted without its own filter, so the
    /// other genres (say) stay there to switch to; every other kind counts with all filters.
    private func loadFacets() throws {
        var facets = try inventory.facets(state.query, limit: FilterPaneModel.limit)
        if let kind = state.filterKind.facet {
            var others = state.query
            if kind == .year {
                others.minYear = nil
                others.maxYear = nil
            } else {
                others[values: kind] = []
            }
            if others != state.query { facets[kind] = try inventory.facets(others, limit: FilterPaneModel.limit)[kind] }
        }
        state.facets = facets
    }

    private func loadDetail() throws {
        guard let id = state.selected?.id else {
            state.detail = nil
            return
        }
        // A listing opened from the changes view stays on show until the selection moves.
        if let shown = state.detail, shown.id == state.selectedID, shown.id != id { return }
        if state.detail?.id != id || state.detail?.release == nil {
            state.detail = try inventory.listing(id: id)
        }
    }
}
