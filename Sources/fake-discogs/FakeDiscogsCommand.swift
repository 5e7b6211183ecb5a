import ArgumentParser
import FakeDiscogs
import Foundation

/// `fake-discogs`: serve a generated (or recorded) shop on 127.0.0.1 until interrupted.
@main
struct FakeDiscogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-discogs",
        abstract: "A fake Discogs API on 127.0.0.1 for tests, benchmarks and demos.",
        discussion: """
        Prints its base URL on the first line of standard output, then serves until SIGINT or \
        SIGTERM (or until standard input closes, with --exit-on-eof). Control routes change the \
        shop while it runs: POST /_fake/sell/ID, /_fake/delete/ID, /_fake/add, /_fake/reprice/ID?price=N, \
        /_fake/faults?serverErrors=N&rateLimitStorm=N&htmlBodies=N&truncatedBodies=N&alwaysFail=1&rejectTokens=1; \
        GET /_fake/stats.
        """
    )

    @Option(help: "Port (0: any free port).") var port: UInt16 = 0
    @Option(help: "Listings in the generated shop.") var listings = 520
    @Option(help: "Seed of the generated shop.") var seed: UInt64 = 1
    @Option(help: "Seller username.") var seller = "freakinbeats"
    @Option(name: .customLong("owner-token"), help: "The token that owns the inventory.") var ownerToken = "fake-owner-token"
    @Option(name: .customLong("rate-limit"), help: "Requests allowed per window.") var rateLimit = 60
    @Option(name: .customLong("rate-window"), help: "Window length in seconds.") var rateWindow: Double = 60
    @Option(name: .customLong("latency-ms"), help: "Delay added to every response.") var latency: Double = 0
    @Option(name: .customLong("page-cap"), help: "Pages a non-owner may read.") var pageCap = 100
    @Flag(name: .customLong("exit-on-eof"), help: "Exit when standard input closes (for test harnesses).") var exitOnEOF = false
    @Option(name: .customLong("write-export"), help: "Write the shop as Discogs' inventory export CSV to this file (what `wax import` reads) and exit, serving nothing.")
    var writeExport: String?

    func run() async throws {
        var configuration = FakeConfiguration()
        configuration.inventory = .generated(seed: seed, listings: listings)
        configuration.seller = seller
        configuration.ownerToken = ownerToken
        configuration.rateLimit = rateLimit
        configuration.rateWindow = rateWindow
        configuration.latency = latency / 1000
        configuration.pageCap = pageCap
        let server = FakeDiscogsServer(configuration: configuration)
        if let writeExport {
            do {
                try Data(server.exportCSV().utf8).write(to: URL(fileURLWithPath: writeExport))
            } catch {
                throw ValidationError("cannot write \(writeExport): \(error.localizedDescription)")
            }
            FileHandle.standardError.write(Data("fake-discogs: wrote \(listings) listings to \(writeExport)\n".utf8))
            return
        }
        let url = try await server.start(port: port)
        FileHandle.standardOutput.write(Data((url.absoluteString + "\n").utf8))
        // Children of test processes may start with signals blocked: unblock the ones we wait on.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        if exitOnEOF {
            Thread.detachNewThread {
                while let _ = readLine() {}
                Foundation.exit(0)
            }
        }
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
