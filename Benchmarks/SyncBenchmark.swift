import FakeDiscogs
import Foundation
import Synchronization
import WaxConfig
import WaxStore
import WaxSync
import WaxTestSupport

/// Issue #3's figures: `wax sync` against the fake with Discogs' real window (60 requests per
/// moving 60 s) and 20 ms latency, for 520 and 15,000 listings; the apply of a 100,000-listing
/// snapshot; and what `wax sync` of 100,000 listings holds, first and hourly.
enum SyncBenchmark {
    static func run(_ arguments: [String]) async throws {
        let sizes = Measure.option("--sizes", in: arguments)?.split(separator: ",").compactMap { Int($0) } ?? [520, 15_000]
        let latency = (Double(Measure.option("--latency-ms", in: arguments) ?? "") ?? 20) / 1000
        let wax = Subprocess.builtExecutable("wax")
        print("wax-bench sync: real 60/60 s window, \(Int(latency * 1000)) ms latency, \(wax.path)")
        for size in sizes {
            for mode in size <= 1_000 ? ["", "--listings-only"] : ["--listings-only"] {
                try await command(size: size, latency: latency, mode: mode, wax: wax)
            }
        }
        if !arguments.contains("--no-apply") { try await apply(listings: Int(Measure.option("--apply", in: arguments) ?? "") ?? 100_000) }
        if !arguments.contains("--no-memory") { try await memory(listings: Int(Measure.option("--memory", in: arguments) ?? "") ?? 100_000, wax: wax) }
    }

    /// `wax sync` of a shop as its owner, each run a child process of its own (the fake without
    /// limits or latency): its peak RSS (VmHWM) on the first sync, which holds the whole shop, and on the
    /// next ones, which hold what changed (what a browser's hourly sync adds to it).
    static func memory(listings: Int, wax: URL) async throws {
        let (server, url) = try await unlimitedFake(seed: 3, listings: listings)
        defer { Task { await server.stop() } }
        let configuration = server.configuration
        let home = TemporaryDirectory()
        let env = ownerEnvironment(home: home, url: url, configuration)
        for round in ["first sync (all new)", "again, nothing changed", "again, \(aRoundOfChanges)"] {
            if round.hasSuffix(aRoundOfChanges) { changeARound(server) }
            let started = Date()
            let result = try await Subprocess.run(wax, ["sync", "--listings-only", "--json"], environment: env, timeout: 3600, watchingPeak: true)
            guard result.status == 0 else { throw BenchError("wax sync failed: \(result.stderr)") }
            let summary = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
            let counts = "+\(summary["added"] ?? "?") ~\(summary["updated"] ?? "?") −\(summary["removed"] ?? "?")"
            print("wax sync \(listings) listings, \(round): peak RSS \(Measure.fmt(Double(result.peakKiB) / 1024, 0)) MB (\(counts)), \(Measure.fmt(Date().timeIntervalSince(started), 1)) s")
        }
    }

    /// A fake shop without rate limit or latency, started.
    static func unlimitedFake(seed: UInt64, listings: Int) async throws -> (FakeDiscogsServer, URL) {
        var configuration = FakeConfiguration()
        configuration.inventory = .generated(seed: seed, listings: listings)
        configuration.rateLimit = 1_000_000
        let server = FakeDiscogsServer(configuration: configuration)
        return (server, try await server.start())
    }

    /// `wax sync`'s environment for the fake's owner, in a home of its own.
    static func ownerEnvironment(home: TemporaryDirectory, url: URL, _ configuration: FakeConfiguration) -> [String: String] {
        Subprocess.isolatedEnvironment(home: home.url, extra: [
            "DISCOGS_API_URL": url.absoluteString, "DISCOGS_TOKEN": configuration.ownerToken,
            "DISCOGS_SELLER_USERNAME": configuration.seller,
        ])
    }

    /// An hour at the shop, as the hourly sync finds it.
    static let aRoundOfChanges = "50 sold, 50 repriced, 50 new"

    static func changeARound(_ server: FakeDiscogsServer) {
        let live = server.liveListings()
        for listing in live.prefix(50) { server.sell(listing.id) }
        for listing in live.suffix(50) { server.reprice(listing.id, to: 12.34) }
        for _ in 0..<50 { server.add() }
    }

    /// The best a client can do: `requests` sent one after another, each as soon as the previous
    /// answered and the window has room.
    static func floor(requests: Int, latency: TimeInterval, limit: Int = 60, window: TimeInterval = 60) -> TimeInterval {
        var starts: [TimeInterval] = []
        var end = 0.0
        for k in 0..<requests {
            var start = end
            if k >= limit { start = max(start, starts[k - limit] + latency + window) }
            starts.append(start)
            end = start + latency
        }
        return end
    }

    static func command(size: Int, latency: TimeInterval, mode: String, wax: URL) async throws {
        var configuration = FakeConfiguration()
        configuration.inventory = .generated(seed: 1, listings: size)
        configuration.latency = latency
        let server = FakeDiscogsServer(configuration: configuration)
        let url = try await server.start()
        defer { Task { await server.stop() } }
        let home = TemporaryDirectory()
        let env = ownerEnvironment(home: home, url: url, configuration)
        let started = Date()
        let result = try await Subprocess.run(wax, ["sync", "--json"] + (mode.isEmpty ? [] : [mode]), environment: env, timeout: 900)
        let wall = Date().timeIntervalSince(started)
        guard result.status == 0 else { throw BenchError("wax sync failed: \(result.stderr)") }
        let summary = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        let requests = summary["requests"] as? Int ?? 0
        let pages = (size + 99) / 100
        let needed = 1 + pages                      // identity + pages
        let ideal = floor(requests: needed, latency: latency)
        let old = Double(pages) * (2 + latency)
        let label = "\(size) listings\(mode.isEmpty ? ", whole command" : ", \(mode)")"
        print("\(label.padding(toLength: 38, withPad: " ", startingAt: 0)) wall \(Measure.fmt(wall)) s, \(requests) requests (\(needed) needed), 429s \(server.stats.rateLimited), peak \(server.stats.peakInWindow)/60 in a window")
        if mode == "--listings-only" {
            print("    floor \(Measure.fmt(ideal)) s → ratio \(Measure.fmt(wall / ideal, 3)) (target ≤ 1.10 at 15,000; ≤ 1 s wall at 520); old app (2 s a page) \(Measure.fmt(old, 1)) s")
        } else {
            print("    release details \(summary["releases_fetched"] ?? 0) fetched, \(summary["releases_pending"] ?? 0) left for later; old app \(Measure.fmt(old, 1)) s (and no genres)")
        }
    }

    /// A 100,000-listing snapshot through the real engine (fake without limits or latency): the
    /// time from `applying` to the end of the transaction, first into an empty mirror, then again
    /// with a few changes (the hourly case).
    static func apply(listings: Int) async throws {
        let (server, url) = try await unlimitedFake(seed: 2, listings: listings)
        defer { Task { await server.stop() } }
        let configuration = server.configuration
        let home = TemporaryDirectory()
        // As a one-shot `wax sync` opens it: a first sync fills the empty mirror without the WAL.
        let inventory = try InventoryService.open(at: home.file("apply.db"), fillsAlone: true)
        var clientConfiguration = DiscogsClient.Configuration(baseURL: url, token: Secret(configuration.ownerToken), userAgent: "wax-bench")
        clientConfiguration.assumedRateLimit = 1_000_000
        let engine = SyncEngine(inventory: inventory, client: try DiscogsClient(configuration: clientConfiguration))
        var options = SyncOptions(seller: configuration.seller, trigger: .cli)
        options.enrichment = .none
        for round in ["first sync (all new)", "again, \(aRoundOfChanges)"] {
            if round.hasSuffix(aRoundOfChanges) { changeARound(server) }
            let marks = Mutex<(apply: Date?, end: Date?)>((nil, nil))
            let started = Date()
            let summary = try await engine.run(options) { event in
                switch event {
                case .applying: marks.withLock { $0.apply = Date() }
                case .finished: marks.withLock { $0.end = Date() }
                default: break
                }
            }
            let (applyAt, endAt) = marks.withLock { $0 }
            let applySeconds = endAt!.timeIntervalSince(applyAt!)
            print("apply \(listings) listings, \(round): \(Measure.fmt(applySeconds)) s (+\(summary.added) ~\(summary.updated) −\(summary.removed)), whole sync \(Measure.fmt(Date().timeIntervalSince(started))) s   target ≤ 3 s")
            print("    " + summary.phases.map { "\($0.name) \(Measure.fmt($0.seconds))" }.joined(separator: ", "))
            if round.hasPrefix("first") {
                // What writing the same rows (with Discogs' JSON for each) costs SQLite alone.
                // Through the same journal as the apply.
                let journal = summary.applied.journal
                print("    written through \(journal.benchmarkText)")
                let floor = try WriteFloor.measure(copyOf: home.file("apply.db"), at: home.file("floor.db"), journal: journal)
                let bare = floor.bareInsertSeconds + floor.bareFullTextSeconds
                print("    floor: bare insert \(Measure.fmt(floor.bareInsertSeconds)) s + bare FTS \(Measure.fmt(floor.bareFullTextSeconds)) s of the same \(floor.rows) rows → apply is \(Measure.fmt(applySeconds / bare, 1))× that")
            }
        }
        print("peak RSS              \(Measure.fmt(Measure.peakRSSMegabytes, 0)) MB (the fake Discogs and its shop included)")
        print("RSS after the syncs    \(Measure.fmt(Measure.rssMegabytes, 0)) MB")
        MemoryTrim.releaseFreedMemory()
        print("  after malloc_trim    \(Measure.fmt(Measure.rssMegabytes, 0)) MB")
    }
}
