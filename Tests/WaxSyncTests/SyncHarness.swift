import FakeDiscogs
import Foundation
import Logging
import Synchronization
import WaxConfig
import WaxStore
@testable import WaxSync
import WaxTestSupport

/// A fake Discogs on 127.0.0.1, a fresh mirror, and the real client and engine between them.
final class SyncHarness: Sendable {
    let server: FakeDiscogsServer
    let inventory: InventoryService
    let client: DiscogsClient
    let engine: SyncEngine
    /// The time the client paces by and the fake counts its window in: it moves only when the
    /// client waits, so no machine load can push a request across the window.
    let clock: ManualPacingClock
    let events = Mutex<[SyncEvent]>([])
    /// What the engine logged: kept here instead of on the test runner's stderr, so tests can
    /// read it (the token must never be in it).
    let logs = LogCapture()

    private init(server: FakeDiscogsServer, inventory: InventoryService, client: DiscogsClient, clock: ManualPacingClock) {
        self.server = server
        self.clock = clock
        self.inventory = inventory
        self.client = client
        let logs = self.logs
        var logger = Logger(label: "wax.sync") { _ in logs }
        logger.logLevel = .debug
        self.engine = SyncEngine(inventory: inventory, client: client, logger: logger)
    }

    static func start(_ configure: (inout FakeConfiguration) -> Void = { _ in },
                      token: String? = nil, retry: RetryPolicy = .quick(), timeout: TimeInterval = 60) async throws -> SyncHarness {
        let clock = ManualPacingClock()
        var configuration = FakeConfiguration()
        configuration.rateLimit = 10_000      // tests give the fake a generous limit unless they test it
        configuration.clock = { clock.now() }
        configure(&configuration)
        let server = FakeDiscogsServer(configuration: configuration)
        let url = try await server.start()
        let dir = TemporaryDirectory()
        var clientConfiguration = DiscogsClient.Configuration(baseURL: url, token: Secret(token ?? configuration.ownerToken), userAgent: "wax-tests/1.0")
        clientConfiguration.retry = retry
        clientConfiguration.requestTimeout = timeout
        clientConfiguration.attemptDeadline = timeout
        clientConfiguration.rateWindow = configuration.rateWindow
        clientConfiguration.clock = clock
        let client = try DiscogsClient(configuration: clientConfiguration)
        let harness = SyncHarness(server: server, inventory: try InventoryService.open(at: dir.file("wax.db")), client: client, clock: clock)
        return harness.keeping(dir)
    }

    private let kept = Mutex<[TemporaryDirectory]>([])
    private func keeping(_ dir: TemporaryDirectory) -> SyncHarness {
        kept.withLock { $0.append(dir) }
        return self
    }

    func options(_ trigger: SyncTrigger = .test, enrichment: SyncOptions.Enrichment = .all) -> SyncOptions {
        var options = SyncOptions(seller: server.configuration.seller, trigger: trigger)
        options.enrichment = enrichment
        return options
    }

    @discardableResult
    func sync(_ options: SyncOptions? = nil) async throws -> SyncSummary {
        try await engine.run(options ?? self.options()) { event in self.events.withLock { $0.append(event) } }
    }

    /// The outbox sender over this harness's client, on a time the test moves (`advance`).
    func sender(seller: String? = nil) -> OutboxSender {
        var configuration = OutboxSender.Configuration(seller: seller ?? server.configuration.seller)
        configuration.rereadDelay = 0
        configuration.exportPollInterval = 0
        configuration.now = { self.outboxNow.withLock { $0 } }
        let logs = self.logs
        return OutboxSender(inventory: inventory, client: client, configuration: configuration, logger: Logger(label: "wax.outbox") { _ in logs })
    }

    let outboxNow = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    /// Moves the sender's time on (past a back-off).
    func advance(_ seconds: TimeInterval) { outboxNow.withLock { $0 = $0.addingTimeInterval(seconds) } }

    func stop() async { await server.stop() }
}

/// A log handler that keeps every rendered line in memory.
final class LogCapture: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logLevel: Logger.Level {
        get { .trace }
        set {}   // one level for every copy: capture everything
    }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        lines.withLock { $0.append("\(event.level) \(event.message)") }
    }
}
