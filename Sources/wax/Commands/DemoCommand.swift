import ArgumentParser
import FakeDiscogs
import Foundation
import Synchronization
import WaxConfig
import WaxStore
import WaxSync
import WaxTerminal
import WaxUI

/// `wax demo`: wax on a made-up shop, served by the fake Discogs on 127.0.0.1, into a throwaway
/// database. No token, no network, nothing outside this process and a temporary folder.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try wax on a made-up shop: no Discogs token, no network, nothing kept.",
        discussion: "Starts a fake Discogs on 127.0.0.1, syncs a few thousand listings from it (progress in the status bar), and opens the browser. While it runs, the shop sells and lists something every 30 s and wax syncs every 30 s: c shows what changed. Its log and database live in a temporary folder, deleted on exit."
    )

    @Option(help: "Listings in the made-up shop.") var listings = 3_000
    @Option(help: "Colour theme.") var theme: String?

    func run() throws {
        try Failure.reporting(runDemo)
    }

    /// How often the demo's shop trades, and its browser syncs (an hour would show nothing).
    static let tradeInterval: TimeInterval = 30

    private func runDemo() throws {
        // Before the fake starts and the shop syncs: no terminal, no demo.
        try Terminal.preflight()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wax-demo-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Nothing kept: the log too lives in the demo's folder.
        let context = try AppContext.load(logFile: folder.appendingPathComponent("wax.log"))

        var configuration = FakeConfiguration()
        configuration.seller = "wax_demo_shop"
        configuration.inventory = .generated(seed: 2026, listings: max(10, listings))
        configuration.rateLimit = 100_000          // a generous limit: the whole sync takes seconds
        configuration.latency = 0.002
        let server = FakeDiscogsServer(configuration: configuration)
        let url = try Self.blocking { try await server.start() }
        defer { _ = try? Self.blocking { await server.stop() } }
        context.logger.info("demo: fake Discogs at \(url.absoluteString), database in \(folder.path)")

        let inventory: InventoryService
        do {
            inventory = try InventoryService.open(at: folder.appendingPathComponent("demo.db"))
        } catch {
            throw Failure.failed("\(error)")
        }
        var clientConfiguration = DiscogsClient.Configuration(baseURL: url, token: Secret(configuration.ownerToken), userAgent: context.settings.userAgent)
        clientConfiguration.assumedRateLimit = configuration.rateLimit
        let client = try DiscogsClient(configuration: clientConfiguration)
        var options = SyncOptions(seller: configuration.seller, trigger: .demo)
        options.concurrency = 8
        let engine = SyncEngine(inventory: inventory, client: client, logger: context.logger)

        // The shop keeps trading while the demo runs, so that `s` and `c` have something to show.
        let trading = Task.detached {
            var round = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(Self.tradeInterval))
                let live = server.liveListings()
                guard live.count > 10 else { continue }
                round += 1
                server.sell(live[(round * 7919) % live.count].id)
                // A buyer on Discogs now and then: an order arrives, sometimes already paid.
                server.buy([live[(round * 3571 + 11) % live.count].id], buyer: ["vinyl_lover", "crate_digger", "dj_kat"][round % 3],
                           paid: round % 2 == 1)
                server.reprice(live[(round * 104_729) % live.count].id, to: Double(5 + round % 40) + 0.99)
                server.add()
            }
        }
        defer { trading.cancel() }
        try Browser.run(context: context, inventory: inventory, sync: (engine, options), theme: theme ?? context.settings.theme,
                        autoSync: true, interval: Self.tradeInterval, shop: configuration.seller, remember: nil,
                        ordersPollInterval: Self.tradeInterval)
    }

    /// Runs async work from this synchronous command (the UI loop owns the main thread).
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                let value = try await work()
                result.withLock { $0 = .success(value) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
