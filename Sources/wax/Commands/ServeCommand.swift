import ArgumentParser
import Foundation
import WaxConfig
import WaxServer
import WaxStore
import WaxSync

/// `wax serve`: the old app's JSON API, so the shop's website and scripts keep working.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the old app's JSON API (/api/data, /api/search, /api/stats…) over the mirror.",
        discussion: """
        Read-only JSON over HTTP: GET /api/data[/ID], /api/search, /api/facets, /api/stats, \
        /healthz; POST /api/sync starts a sync when WAX_API_TOKEN is set and sent as a Bearer \
        token. Binds 127.0.0.1 unless --host says otherwise; WAX_CORS_ORIGIN allows the shop's \
        website to call it from browsers. Syncs on schedule when ENABLE_AUTO_SYNC is true and a \
        Discogs token is set. Requests are logged to the log file; SIGTERM or SIGINT stops it.
        """
    )

    @Option(help: "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one; the address is printed).") var port: UInt16 = 3000
    @Option(name: .customLong("max-connections"), help: "Connections served at once; more get a 503 (default WAX_SERVE_MAX_CONNECTIONS, else 256).")
    var maxConnections: Int?

    func validate() throws {
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be 1 or more") }
    }

    func run() async throws {
        try await Failure.reporting {
            let context = try AppContext.load()
            let settings = context.settings
            // Answers as of the previous sync for a moment after each commit, rather than every
            // connection waiting on the index reload.
            let inventory = try context.openInventory(staleWhileReloading: true)
            inventory.prepareInBackground()
            let sync = makeSync(context, inventory: inventory)
            var configuration = APIServer.Configuration()
            configuration.host = host
            configuration.port = port
            configuration.apiToken = settings.apiToken
            configuration.corsOrigin = settings.corsOrigin
            configuration.maxConnections = maxConnections ?? settings.serveMaxConnections
            do {
                _ = try APIServer.address(host: host, port: port)
            } catch {
                throw Failure.configuration("\(error)")
            }
            let server = APIServer(inventory: inventory, configuration: configuration, sync: sync,
                                   logger: context.logger)
            let url: URL
            do {
                url = try await server.start()
            } catch {
                throw Failure.failed("\(error)")
            }
            Console.note("serving \(url.absoluteString) (database \(inventory.database.path.path); log \(context.paths.logFile.path))")
            context.logger.info("serve: listening on \(url.absoluteString)")
            if let note = server.descriptors.note {
                Console.note(note)
                context.logger.notice("serve: \(note)")
            }
            // Syncs on schedule, and the staff actions queued by any wax on this database, go out from here too.
            var workers: ShopWorkers?
            if case .runner(let runner) = sync {
                workers = ShopWorkers(runner: runner, plan: .init(syncEvery: settings.enableAutoSync ? settings.syncIntervalHours * 3600 : nil,
                                                                  sendOutbox: !settings.readOnly, ordersEvery: settings.ordersPollMinutes * 60,
                                                                  trigger: "wax serve"), logger: context.logger)
                workers?.start()
            }
            await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
                SignalWatch.shared.onSignal { _ in stopped.resume() }
            }
            context.logger.info("serve: stopping")
            await workers?.stopAndWait()
            await server.stop()
            Console.note("stopped")
        }
    }

    /// A sync runner when a token and seller are set; otherwise why `POST /api/sync` can't sync.
    private func makeSync(_ context: AppContext, inventory: InventoryService) -> APIServer.SyncAccess {
        do {
            var (engine, options) = try SyncSetup.engine(context, inventory: inventory)
            options.trigger = .api
            options.enrichment = .all
            let logger = context.logger
            return .runner(SyncRunner(engine: engine, options: options) { event in
                switch event {
                case .finished(let summary):
                    logger.info("serve: sync finished: +\(summary.added) ~\(summary.updated) −\(summary.removed), \(summary.total) listings")
                case .failed(let failure):
                    logger.error("serve: sync failed: \(failure.message)")
                default:
                    break
                }
            })
        } catch let failure as Failure {
            context.logger.info("serve: syncing is off: \(failure.message)")
            return .unavailable("syncing is not configured on this server: \(failure.message)")
        } catch {
            return .unavailable("syncing is not configured on this server: \(error)")
        }
    }
}
