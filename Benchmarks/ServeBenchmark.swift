import Foundation
import Logging
import Synchronization
import WaxConfig
import WaxJSON
import WaxServer
import WaxStore
import WaxTestSupport

/// Issue #5's figures: `/api/search` on a 100,000-listing mirror from 16 keep-alive connections
/// while syncs keep committing to the same database. Prints requests/s, p50/p99/max latency and
/// errors.
///
/// As on the shop's server, the sync is another process (`wax sync`, as a staff member's
/// browser or `wax sync --watch` would run it) and Discogs is elsewhere (the fake, in its own
/// process, with no rate limit so that syncs follow each other as fast as they can). All of
/// them share the machine's two cores with the API server and the load client.
enum ServeBenchmark {
    static func run(_ arguments: [String]) async throws {
        let count = Int(Measure.option("--listings", in: arguments) ?? "") ?? 100_000
        let connections = Int(Measure.option("--connections", in: arguments) ?? "") ?? 16
        // The load runs until `--syncs` syncs have committed (bounded by `--requests`).
        let total = Int(Measure.option("--requests", in: arguments) ?? "") ?? 300_000
        let syncTarget = Int(Measure.option("--syncs", in: arguments) ?? "") ?? 2
        let home = TemporaryDirectory()
        WaxLogging.bootstrap(file: home.file("wax.log"), level: "info") { $0 }

        let fake = try Subprocess.start(Subprocess.builtExecutable("fake-discogs"),
                                        ["--listings", String(count), "--seed", "5", "--rate-limit", "1000000"],
                                        environment: Subprocess.isolatedEnvironment(home: home.url))
        defer { fake.signal(SIGKILL) }
        let fakeURL = try await fakeAddress(fake)
        let database = home.file("serve.db")
        let wax = Subprocess.builtExecutable("wax")
        let environment = Subprocess.isolatedEnvironment(home: home.url, extra: [
            "DATABASE_URL": database.path, "DISCOGS_API_URL": fakeURL, "DISCOGS_TOKEN": "fake-owner-token",
            "DISCOGS_SELLER_USERNAME": "freakinbeats", "ENABLE_AUTO_SYNC": "false",
        ])
        print("wax-bench serve: first sync of \(count) listings from the fake (\(wax.path))…")
        let (first, firstSeconds) = try await timed { try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: environment, timeout: 1_800) }
        guard first.status == 0 else { throw BenchError("the first sync failed: \(first.stderr)") }
        print("  done in \(Measure.fmt(firstSeconds, 1)) s")

        let inventory = try InventoryService.open(at: database, staleWhileReloading: !arguments.contains("--strict"))
        if arguments.contains("--verbose") {
            // Where a request's time goes, without HTTP: the window, then the bytes.
            var window = Samples(), bytes = Samples()
            for _ in 0..<20 {
                for query in queries {
                    let listingQuery = try APIServer.searchQuery(query)
                    let listings = try window.time { try inventory.page(listingQuery, withReleases: true).listings }
                    _ = bytes.time { ListingJSON.arrayUTF8(listings) }
                }
            }
            print("  per request (p50): window \(Measure.fmt(window.p50)) ms, JSON \(Measure.fmt(bytes.p50)) ms")
        }
        var serverConfiguration = APIServer.Configuration()
        serverConfiguration.port = 0
        let server = APIServer(inventory: inventory, configuration: serverConfiguration, sync: .unavailable("bench"), logger: Logger(label: "wax"))
        let url = try await server.start()
        let port = UInt16(url.port ?? 0)
        let paths = queries.map { "/api/search?" + $0 }
        // Warm: the index and each query's first answer, as a running server would have them.
        _ = try LoadClient.run(port: port, paths: paths, connections: 1, total: paths.count)

        // Syncs keep committing while the load runs: before each, the shop sells, reprices and
        // lists 50; the sync pages the whole inventory and applies the difference.
        let fakePort = UInt16(URL(string: fakeURL)?.port ?? 0)
        let ids = try inventory.searchIDs(ListingQuery(sort: ListingSort(.price), limit: 20_000))
        let generationBefore = try inventory.generation()
        let withSync = !arguments.contains("--no-sync")
        let progress = SyncRounds()
        let syncing = Task.detached {
            while withSync && !Task.isCancelled {
                let round = progress.count.withLock { $0.rounds + $0.failures }
                guard let shop = try? LoadClient.Connection(port: fakePort) else { return }
                for k in 0..<50 {
                    _ = try? shop.request("POST", "/_fake/sell/\(ids[(round * 100 + k) % ids.count])")
                    _ = try? shop.request("POST", "/_fake/reprice/\(ids[(round * 100 + 50 + k) % ids.count])?price=\(round % 40 + 9).99")
                    _ = try? shop.request("POST", "/_fake/add")
                }
                shop.close()
                guard let result = try? await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: environment, timeout: 600) else { return }
                progress.count.withLock { if result.status == 0 { $0.rounds += 1 } else { $0.failures += 1 } }
            }
        }
        print("wax-bench serve: /api/search over \(connections) connections\(withSync ? " until \(syncTarget) syncs by another process have committed" : ""), at most \(total) requests…")
        // Commit times, to single out the requests answered just after one (the index reloads).
        let commitTimes = Mutex<[UInt64]>([])
        let watching = Mutex(true)
        let watcher = Thread {
            var seen = generationBefore
            while watching.withLock({ $0 }) {
                if let now = try? inventory.generation(), now != seen {
                    seen = now
                    commitTimes.withLock { $0.append(DispatchTime.now().uptimeNanoseconds) }
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        watcher.start()
        let result = try await Task.detached {
            try LoadClient.run(port: port, paths: paths, connections: connections, total: total) {
                withSync && progress.count.withLock { $0.rounds } >= syncTarget
            }
        }.value
        watching.withLock { $0 = false }
        let commits = try inventory.generation() - generationBefore
        var samples = Samples()
        samples.values = result.latencies
        print("requests              \(result.latencies.count) in \(Measure.fmt(result.seconds, 1)) s: \(Measure.fmt(Double(result.latencies.count) / result.seconds, 0))/s")
        print("latency p50           \(Measure.fmt(samples.p50)) ms")
        print("latency p99           \(Measure.fmt(samples.p99)) ms   target ≤ 50 ms  \(Measure.verdict(samples.p99 <= 50))")
        print("latency max           \(Measure.fmt(samples.max)) ms")
        print("errors                \(result.errors)   target 0")
        var near = Samples()
        let marks = commitTimes.withLock { $0 }
        for (latency, end) in zip(result.latencies, result.ends) where marks.contains(where: { end >= $0 && end - $0 < 2_000_000_000 }) {
            near.values.append(latency)
        }
        if !near.values.isEmpty {
            print("within 2 s of a commit \(near.values.count) requests: p50 \(Measure.fmt(near.p50)) ms, p99 \(Measure.fmt(near.p99)) ms, max \(Measure.fmt(near.max)) ms")
        }
        let (rounds, failures) = progress.count.withLock { ($0.rounds, $0.failures) }
        print("during the load       \(rounds) syncs committed (\(failures) failed), \(commits) commits in all")
        syncing.cancel()
        await server.stop(timeout: 1)
    }

    static func fakeAddress(_ fake: Subprocess.Running) async throws -> String {
        for _ in 0..<500 {
            if let line = fake.stdoutSoFar.split(separator: "\n").first, line.hasPrefix("http") { return String(line) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("fake-discogs did not start: \(fake.stderrSoFar)")
    }

    /// What a shop's website asks: a page of a search box's words, a genre and format, an
    /// artist, a price range, in a few orders.
    static let queries = [
        "q=the&per_page=50", "q=love&per_page=50&page=2", "q=dub&per_page=50", "q=bj%C3%B6rk&per_page=50",
        "genre=electronic&format=lp&per_page=50", "genre=rock&sort=price:asc&per_page=50", "artist=the&per_page=50&page=3",
        "q=b&sort=year:desc&per_page=50", "min_price=10&max_price=20&per_page=50", "q=house+music&per_page=50",
        "format=7&sort=artist&per_page=50", "q=jazz&genre=jazz&per_page=24", "label=records&per_page=50&page=5",
        "q=sakamoto&per_page=50", "condition=mint&sort=price:desc&per_page=50", "q=a&per_page=50&page=40",
    ]

    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try await body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

/// Syncs finished by the other process, as the load client and the sync loop both see them.
final class SyncRounds: Sendable {
    let count = Mutex((rounds: 0, failures: 0))
}

/// A minimal HTTP/1.1 keep-alive client on plain blocking sockets, one thread per connection:
/// light enough that the figures are the server's, not the client's.
enum LoadClient {
    struct Result: Sendable {
        var latencies: [Double]
        /// When each request ended (uptime nanoseconds), in the order of `latencies`.
        var ends: [UInt64] = []
        var errors: Int
        var seconds: Double
    }

    static func run(port: UInt16, paths: [String], connections: Int, total: Int,
                    until done: @escaping @Sendable () -> Bool = { false }) throws -> Result {
        let collected = Mutex(Result(latencies: [], errors: 0, seconds: 0))
        let group = DispatchGroup()
        let started = DispatchTime.now().uptimeNanoseconds
        for connection in 0..<connections {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var latencies: [Double] = [], ends: [UInt64] = [], errors = 0
                var socket = try? Connection(port: port)
                var index = connection
                while index < total && !done() {
                    let path = paths[index % paths.count]
                    let start = DispatchTime.now().uptimeNanoseconds
                    if let status = try? socket?.get(path), status == 200 {
                        let end = DispatchTime.now().uptimeNanoseconds
                        latencies.append(Double(end - start) / 1e6)
                        ends.append(end)
                    } else {
                        errors += 1
                        socket = try? Connection(port: port)
                    }
                    index += connections
                }
                collected.withLock {
                    $0.latencies += latencies
                    $0.ends += ends
                    $0.errors += errors
                }
            }
        }
        group.wait()
        var result = collected.withLock { $0 }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return result
    }

    struct Connection {
        let fd: Int32
        struct Failed: Error {}

        /// `from`: the local address (127.0.0.2 is another client than the flood's 127.0.0.1).
        init(port: UInt16, from source: String? = nil) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            if let source {
                var local = sockaddr_in()
                local.sin_family = sa_family_t(AF_INET)
                local.sin_addr.s_addr = inet_addr(source)
                _ = withUnsafePointer(to: &local) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { Glibc.close(fd); throw Failed() }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }

        func get(_ path: String) throws -> Int { try request("GET", path) }

        func close() { Glibc.close(fd) }

        /// Sends a request without a body and reads the whole response; returns its status.
        func request(_ method: String, _ path: String) throws -> Int {
            let request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n".utf8)
            guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { throw Failed() }
            var buffer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            var headerEnd: Int?
            var bodyLength = 0
            while true {
                let received = recv(fd, &chunk, chunk.count, 0)
                guard received > 0 else { throw Failed() }
                buffer.append(contentsOf: chunk[0..<received])
                if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: buffer) {
                    headerEnd = end + 4
                    let head = String(decoding: buffer[0..<end], as: UTF8.self).lowercased()
                    guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                          let length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) else { throw Failed() }
                    bodyLength = length
                }
                if let headerEnd, buffer.count >= headerEnd + bodyLength {
                    let status = String(decoding: buffer[9..<12], as: UTF8.self)
                    return Int(status) ?? 0
                }
            }
        }

        static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
                if Array(haystack[start..<start + needle.count]) == needle { return start }
            }
            return nil
        }
    }
}
