import ArgumentParser
import Foundation
import Logging
import WaxConfig
import WaxStore
import WaxSync
import WaxTerminal
import WaxUI

/// `wax` / `wax browse`: the terminal browser over the mirror, with syncs in the background.
struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Browse the mirror in the terminal (the default command).",
        discussion: "Press ? inside for the keys. Syncs run in the background: at start and every SYNC_INTERVAL_HOURS when ENABLE_AUTO_SYNC is true and a token is set, and on s."
    )

    @Option(help: "Colour theme: default, light, high-contrast, mono, or a file name in a theme folder.") var theme: String?
    @Flag(help: "Look, but do not act: the counter keys are off (as WAX_READ_ONLY=true).") var readOnly = false

    func run() throws {
        try Failure.reporting {
            try Terminal.preflight()
            let context = try AppContext.load()
            let inventory = try context.openInventory()
            let setup = try? SyncSetup.engine(context, inventory: inventory)
            try Browser.run(context: context, inventory: inventory, sync: setup, theme: theme ?? context.settings.theme,
                            autoSync: context.settings.enableAutoSync, interval: context.settings.syncIntervalHours * 3600,
                            shop: context.settings.sellerUsername ?? "", remember: context.paths.savedView, readOnly: readOnly,
                            ordersPollInterval: context.settings.ordersPollMinutes * 60)
        }
    }
}

/// What `browse` and `demo` share: set up the session, the terminal and the sync, run the loop,
/// and put everything back.
enum Browser {
    /// `remember`: where this user's last view is kept (nil: nothing kept, as in the demo).
    static func run(context: AppContext, inventory: InventoryService, sync: (SyncEngine, SyncOptions)?, theme: String?,
                    autoSync: Bool, interval: TimeInterval, shop: String, remember: URL?, readOnly: Bool = false,
                    ordersPollInterval: TimeInterval) throws {
        let loaded = ThemeLoader.load(name: theme, directories: context.paths.themeDirectories,
                                      noColor: ProcessInfo.processInfo.environment["NO_COLOR"] != nil)
        if let warning = loaded.warning { context.logger.warning("\(warning)") }
        let inbox = SyncInbox()
        var runner: SyncRunner?
        if let (engine, options) = sync {
            var background = options
            background.enrichment = .all
            runner = SyncRunner(engine: engine, options: background) { inbox.post($0) }
        }
        let rights = ActingRights.decide(context, inventory: inventory, readOnly: readOnly, canSend: runner != nil)
        let workers = runner.map {
            ShopWorkers(runner: $0, plan: .init(syncEvery: autoSync ? interval : nil, sendOutbox: rights == .sendsItself, ordersEvery: ordersPollInterval,
                                                trigger: "browser"), logger: context.logger)
        }
        let lookup = sync.map { IntakeLookup(inventory: inventory, client: $0.0.client) }
        let counter = counterAccess(context, rights, sender: workers?.sender, intake: lookup)
        SignalWatch.shared.install(hangupAlways: true)
        let terminal = try Terminal(theme: loaded.theme)
        defer { terminal.end() }
        let saved = remember.flatMap { try? Data(contentsOf: $0) }.flatMap(SavedView.decode)
        let session = try Session(inventory: inventory, runner: runner, inbox: inbox, shop: shop,
                                  columns: terminal.columns, rows: terminal.rows, syncAvailable: runner != nil,
                                  configFile: context.paths.configFile.path, restoring: saved, counter: counter)
        let notices = [loaded.warning, context.mirrorWarning(inventory.database.path),
                       inventory.database.readOnlyReason.map { "the mirror is open for reading only (\($0)): syncs can't write it" }]
            .compactMap { $0 }
        if !notices.isEmpty { session.report(notices.joined(separator: "; ")) }
        workers?.start()
        BrowserLoop.run(session: session, terminal: terminal)
        // Quit, or SIGINT/SIGTERM/SIGHUP: stop the sync. A transaction still open is rolled
        // back when this process ends (SQLite's journal), so the mirror keeps its last snapshot.
        workers?.stop()
        if let remember {
            try? FileManager.default.createDirectory(at: remember.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FilePermissions.writeAtomically(session.savedView.json, to: remember)
        }
        let signal = SignalWatch.shared.pending
        context.logger.info("browser closed\(signal != 0 ? " by signal \(signal)" : "")")
    }

    /// Whether staff may act here. With the token the browser sends its own actions (`sender`);
    /// without it a browser still queues them when another wax sends this mirror's outbox.
    static func counterAccess(_ context: AppContext, _ rights: ActingRights, sender: OutboxSender?, intake: IntakeLookup?) -> CounterAccess {
        let user = StaffUser.current()
        let soldInShop = SoldInShopMode(rawValue: context.settings.soldInShop) ?? .draft
        switch rights {
        case .refused(let reason, _):
            return CounterAccess(user: user, availability: .off(reason), soldInShop: soldInShop)
        case .sendsItself, .queuesForAnotherWax:
            // Intake searches Discogs with this wax's token: a wax that only queues can't.
            return CounterAccess(user: user, availability: .on, soldInShop: soldInShop, nudge: { sender?.nudge() },
                                 intake: rights == .sendsItself ? intake : nil, rounding: context.settings.priceRounding,
                                 priceLimit: context.settings.maxPrice)
        }
    }
}
