import FakeDiscogs
import Foundation
import Synchronization
import WaxStore
import WaxTestSupport

/// Issue #14's figures, against the real release binaries: how fast `wax serve` refuses a
/// megabyte request line; `/healthz` latency while 2,000 connections are opened and closed under
/// a 1,024-descriptor limit; the server's memory while 16 slow clients (and 4 fast ones) take
/// the whole inventory unpaged; and how long a sync takes to give up on a drip-feeding Discogs.
enum HostileBenchmark {
    static func run(_ arguments: [String]) async throws {
        let count = Int(Measure.option("--listings", in: arguments) ?? "") ?? 100_000
        let slowClients = Int(Measure.option("--slow-clients", in: arguments) ?? "") ?? 16
        let flood = Int(Measure.option("--flood", in: arguments) ?? "") ?? 2_000
        let home = TemporaryDirectory()
        let wax = Subprocess.builtExecutable("wax")
        let database = home.file("hostile.db")
        let environment = Subprocess.isolatedEnvironment(home: home.url, extra: ["DATABASE_URL": database.path, "ENABLE_AUTO_SYNC": "false"])

        print("wax-bench hostile: a mirror of \(count) listings (\(wax.path))…")
        let csv = home.file("shop.csv")
        try ShopCSV.make(ShopGenerator(seed: 3, listings: count)).write(to: csv)
        let imported = try await Subprocess.run(wax, ["import", csv.path], environment: environment, timeout: 600)
        guard imported.status == 0 else { throw BenchError("import failed: \(imported.stderr)") }

        if !arguments.contains("--no-serve") {
            for (label, cap) in [("with the default cap of 256 connections", nil), ("with no cap (the listener meets EMFILE)", "100000")] as [(String, String?)] {
                try await serve(wax, environment, label: label, cap: cap) { port, pid in
                    if cap == nil {
                        try await longRequestLine(port)
                        try await memory(port, pid: pid, slowClients: slowClients)
                    }
                    try await floodAndProbe(port, connections: flood)
                }
            }
        }
        if !arguments.contains("--no-drip") {
            try await dripFedSync(wax, home: home)
        }
        if !arguments.contains("--no-issue24") {
            // Issue 24: a lower descriptor limit than connections wanted, a pipelining client
            // that reads nothing, silent and dripping floods, an oversized answer from Discogs.
            try await serve(wax, environment, label: "2,000 idle connections", cap: nil, nofile: 256) { port, pid in
                try await idleFlood(port, pid: pid, connections: 2_000, drip: false)
            }
            try await serve(wax, environment, label: "600 connections dripping a byte every 2 s", cap: nil, nofile: 1_024) { port, pid in
                try await idleFlood(port, pid: pid, connections: 600, drip: true)
            }
            try await serve(wax, environment, label: "one client pipelining 1,000 pages and reading nothing", cap: nil, nofile: 1_024) { port, pid in
                try await pipeliningNonReader(port, pid: pid)
            }
            try await oversizedAnswer(wax, home: home)
        }
    }

    /// Holds `connections` connections from 127.0.0.1 (silent, or a byte every 2 s) for 25 s
    /// while another client (127.0.0.2) asks `/healthz` every 100 ms; is the server alive after.
    static func idleFlood(_ port: UInt16, pid: pid_t, connections: Int, drip: Bool) async throws {
        let stop = Flag()
        let probe = Task.detached { () -> (Samples, Int) in
            var samples = Samples(), failures = 0
            while !stop.isSet {
                let started = DispatchTime.now().uptimeNanoseconds
                if let status = try? LoadClient.Connection(port: port, from: "127.0.0.2").get("/healthz"), status == 200 {
                    samples.values.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                } else {
                    failures += 1
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return (samples, failures)
        }
        var held: [RawConnection] = []
        for _ in 0..<connections { if let connection = try? RawConnection(port: Int(port)) { held.append(connection) } }
        let until = DispatchTime.now().uptimeNanoseconds + 25_000_000_000
        while DispatchTime.now().uptimeNanoseconds < until {
            if drip { for connection in held { _ = await connection.send("G") } }
            try await Task.sleep(for: .seconds(2))
        }
        stop.set()
        let (samples, failures) = await probe.value
        let alive = kill(pid, 0) == 0
        held.removeAll()
        print("  \(connections) connections held 25 s; server alive: \(alive)")
        print("  /healthz (127.0.0.2) \(samples.values.count) answers: p50 \(Measure.fmt(samples.p50)) ms, p99 \(Measure.fmt(samples.p99)) ms, max \(Measure.fmt(samples.max)) ms, \(failures) failed   target: answered throughout")
    }

    /// 1,000 pipelined `GET /api/data?per_page=1000` on one connection, nothing read for 27 s;
    /// the server's peak RSS, its RSS after the client closed, and `/healthz` meanwhile.
    static func pipeliningNonReader(_ port: UInt16, pid: pid_t) async throws {
        try await Task.sleep(for: .seconds(1))
        let idle = residentMegabytes(pid)
        let peak = Peak(idle)
        let done = Flag()
        peak.sample(pid, every: 0.05, until: done)
        let probe = Task.detached { () -> Samples in
            var samples = Samples()
            while !done.isSet {
                let started = DispatchTime.now().uptimeNanoseconds
                if (try? LoadClient.Connection(port: port, from: "127.0.0.2").get("/healthz")) == 200 {
                    samples.values.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return samples
        }
        var connection: RawConnection? = try RawConnection(port: Int(port))
        await connection?.send(String(repeating: "GET /api/data?per_page=1000&page=1 HTTP/1.1\r\nHost: x\r\n\r\n", count: 1_000))
        try await Task.sleep(for: .seconds(27))
        connection = nil
        try await Task.sleep(for: .seconds(3))
        done.set()
        let health = await probe.value
        let after = residentMegabytes(pid)
        print("  idle RSS            \(Measure.fmt(idle, 1)) MB; peak \(Measure.fmt(peak.value, 1)) MB (+\(Measure.fmt(peak.value - idle, 1)) MB); 3 s after it closed \(Measure.fmt(after, 1)) MB   (was 2,050 MB, 1,890 MB after)")
        print("  /healthz meanwhile  p99 \(Measure.fmt(health.p99)) ms, max \(Measure.fmt(health.max)) ms (\(health.values.count) answers)")
    }

    /// `wax sell --wait 30` while every answer of the fake carries 12 MB of padding: the
    /// sender's peak RSS (a 200 MB answer took it to 1.44 GB) and how it ends.
    static func oversizedAnswer(_ wax: URL, home: TemporaryDirectory) async throws {
        let fake = try Subprocess.start(Subprocess.builtExecutable("fake-discogs"), ["--listings", "100", "--rate-limit", "100000"],
                                        environment: Subprocess.isolatedEnvironment(home: home.url))
        defer { fake.signal(SIGKILL) }
        let fakeURL = try await ServeBenchmark.fakeAddress(fake)
        let fakePort = UInt16(URL(string: fakeURL)?.port ?? 0)
        let environment = Subprocess.isolatedEnvironment(home: home.url, extra: [
            "DATABASE_URL": home.file("oversized.db").path, "DISCOGS_API_URL": fakeURL, "DISCOGS_TOKEN": "fake-owner-token",
            "DISCOGS_SELLER_USERNAME": "freakinbeats",
        ])
        _ = try await Subprocess.run(wax, ["sync", "--listings-only", "--quiet"], environment: environment, timeout: 300)
        _ = try LoadClient.Connection(port: fakePort).request("POST", "/_fake/faults?oversizedBodies=100000")
        let listing = "3600000005"
        print("\nwax sell --wait 30 while every Discogs answer is over 12 MB…")
        let sell = try Subprocess.start(wax, ["sell", listing, "--wait", "30"], environment: environment)
        let peak = Peak(0)
        let done = Flag()
        peak.sample(sell.pid, every: 0.02, until: done)
        let result = try await sell.wait(timeout: 300)
        done.set()
        print("  sender peak RSS     \(Measure.fmt(peak.value, 1)) MB   (was 1,440 MB for a 200 MB answer); exit \(result.status): \((result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))")
    }

    /// Runs `wax serve` under a 1,024-descriptor limit for `body`, then stops it.
    static func serve(_ wax: URL, _ environment: [String: String], label: String, cap: String?, nofile: Int = 1_024,
                      _ body: (UInt16, pid_t) async throws -> Void) async throws {
        var arguments = ["--nofile=\(nofile):\(nofile)", wax.path, "serve", "--port", "0"]
        if let cap { arguments += ["--max-connections", cap] }
        let server = try Subprocess.start(URL(fileURLWithPath: "/usr/bin/prlimit"), arguments, environment: environment)
        defer { server.signal(SIGKILL) }
        let banner = try await server.waitForError(containing: "serving http://", timeout: 60)
        guard let match = banner.firstMatch(of: /127\.0\.0\.1:(\d+)/), let port = UInt16(match.1) else { throw BenchError("no address: \(banner)") }
        print("\nwax serve under --nofile=\(nofile), \(label):")
        _ = try LoadClient.Connection(port: port).get("/api/data?per_page=1")   // index loaded
        try await body(port, server.pid)
        server.signal(SIGTERM)
        _ = try await server.wait(timeout: 30)
    }

    static func longRequestLine(_ port: UInt16) async throws {
        var samples = Samples()
        let line = Array(("GET /api/search?q=" + String(repeating: "a", count: 1_000_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").utf8)
        var statuses: Set<String> = []
        for _ in 0..<10 {
            let connection = try RawConnection(port: Int(port))
            let started = DispatchTime.now().uptimeNanoseconds
            async let sent = connection.send(line)
            let response = await connection.readAll()
            samples.values.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            _ = await sent
            statuses.insert(String(decoding: response.prefix(12), as: UTF8.self))
        }
        print("1 MB request line     refused in p50 \(Measure.fmt(samples.p50)) ms, max \(Measure.fmt(samples.max)) ms (\(statuses.sorted().joined(separator: ", ")))")
    }

    /// Opens `connections` connections as fast as it can, holds them, closes them, twice; a
    /// monitor's keep-alive connection asks `/healthz` every 20 ms meanwhile, and a newcomer
    /// tries a fresh connection every 100 ms.
    static func floodAndProbe(_ port: UInt16, connections: Int) async throws {
        let stop = Flag()
        let probe = Task.detached { () -> (Samples, Int) in
            var samples = Samples(), failures = 0
            var monitor = try? LoadClient.Connection(port: port)
            while !stop.isSet {
                let started = DispatchTime.now().uptimeNanoseconds
                if let status = try? monitor?.get("/healthz"), status == 200 {
                    samples.values.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                } else {
                    failures += 1
                    monitor = try? LoadClient.Connection(port: port)
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return (samples, failures)
        }
        let newcomers = Task.detached { () -> [Int: Int] in
            var outcomes: [Int: Int] = [:]
            while !stop.isSet {
                let status = (try? LoadClient.Connection(port: port).get("/healthz")) ?? 0
                outcomes[status, default: 0] += 1
                try? await Task.sleep(for: .milliseconds(100))
            }
            return outcomes
        }
        var refused = 0
        let started = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<2 {
            var held: [RawConnection] = []
            for _ in 0..<(connections / 2) {
                if let connection = try? RawConnection(port: Int(port)) { held.append(connection) } else { refused += 1 }
            }
            try await Task.sleep(for: .seconds(1))
            held.removeAll()
            try await Task.sleep(for: .seconds(1))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        try await Task.sleep(for: .seconds(1))
        stop.set()
        let (samples, failures) = await probe.value
        let outcomes = await newcomers.value
        print("\(connections) connections     opened and closed in \(Measure.fmt(seconds, 1)) s (\(refused) connects refused by the kernel)")
        print("  /healthz (monitor)  \(samples.values.count) answers: p50 \(Measure.fmt(samples.p50)) ms, p99 \(Measure.fmt(samples.p99)) ms, max \(Measure.fmt(samples.max)) ms, \(failures) failed   target: every answer < 1 s")
        print("  newcomers           " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "no answer" : String($0.key)): \($0.value)" }.joined(separator: ", "))
        let after = try LoadClient.Connection(port: port).get("/healthz")
        print("  after the flood     /healthz \(after)")
    }

    /// The server's resident memory while clients take the whole inventory unpaged.
    static func memory(_ port: UInt16, pid: pid_t, slowClients: Int) async throws {
        try await Task.sleep(for: .seconds(1))
        let idle = residentMegabytes(pid)
        // 4 clients reading as fast as they can.
        let peak = Peak(idle)
        let done = Flag()
        peak.sample(pid, every: 0.05, until: done)
        let fast = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let connection = try RawConnection(port: Int(port))
                    await connection.send("GET /api/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    return await connection.readAll(timeout: 300).count
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let fastPeak = peak.value
        print("idle RSS              \(Measure.fmt(idle, 1)) MB")
        print("4 fast unpaged        peak RSS \(Measure.fmt(fastPeak, 1)) MB (+\(Measure.fmt(fastPeak - idle, 1)) MB)   target ≤ +80 MB; bodies \(fast.map { $0 / 1_000_000 }) MB")
        // Slow clients: 16 KB every 50 ms each, for 20 s.
        peak.reset(residentMegabytes(pid))
        let deadline = DispatchTime.now().uptimeNanoseconds + 20_000_000_000
        let received = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<slowClients {
                group.addTask {
                    try await Task.detached { () -> Int in
                        let connection = try LoadClient.Connection(port: port)
                        let request = Array("GET /api/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
                        _ = request.withUnsafeBytes { send(connection.fd, $0.baseAddress, $0.count, 0) }
                        var total = 0
                        var buffer = [UInt8](repeating: 0, count: 16_384)
                        while DispatchTime.now().uptimeNanoseconds < deadline {
                            let count = recv(connection.fd, &buffer, buffer.count, 0)
                            guard count > 0 else { break }
                            total += count
                            usleep(50_000)
                        }
                        connection.close()
                        return total
                    }.value
                }
            }
            return try await group.reduce(0, +)
        }
        done.set()
        let slowPeak = peak.value
        print("\(slowClients) slow unpaged        peak RSS \(Measure.fmt(slowPeak, 1)) MB (+\(Measure.fmt(slowPeak - idle, 1)) MB over idle) over 20 s, \(received / 1_000_000) MB read in all")
    }

    static func residentMegabytes(_ pid: pid_t) -> Double {
        ProcStatus.kibibytes("VmRSS:", of: pid).map { Double($0) / 1024 } ?? .nan
    }

    /// `wax sync` with its real settings against a Discogs that sends one byte every 5 s.
    static func dripFedSync(_ wax: URL, home: TemporaryDirectory) async throws {
        let fake = try Subprocess.start(Subprocess.builtExecutable("fake-discogs"), ["--listings", "100"],
                                        environment: Subprocess.isolatedEnvironment(home: home.url))
        defer { fake.signal(SIGKILL) }
        let fakeURL = try await ServeBenchmark.fakeAddress(fake)
        let fakePort = UInt16(URL(string: fakeURL)?.port ?? 0)
        _ = try LoadClient.Connection(port: fakePort).request("POST", "/_fake/faults?dripInterval=5")
        let environment = Subprocess.isolatedEnvironment(home: home.url, extra: [
            "DATABASE_URL": home.file("drip.db").path, "DISCOGS_API_URL": fakeURL, "DISCOGS_TOKEN": "fake-owner-token",
            "DISCOGS_SELLER_USERNAME": "freakinbeats",
        ])
        print("\nwax sync against a Discogs that sends one byte every 5 s (real settings)…")
        let started = DispatchTime.now().uptimeNanoseconds
        let result = try await Subprocess.run(wax, ["sync", "--quiet"], environment: environment, timeout: 900)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        print("gave up after         \(Measure.fmt(seconds, 1)) s, exit \(result.status): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
}

/// A flag one thread raises and others watch.
final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)
    var isSet: Bool { raised.load(ordering: .relaxed) }
    func set() { raised.store(true, ordering: .relaxed) }
}

/// The highest value seen.
final class Peak: Sendable {
    private let highest: Mutex<Double>
    init(_ start: Double) { highest = Mutex(start) }
    var value: Double { highest.withLock { $0 } }
    func see(_ value: Double) { highest.withLock { $0 = max($0, value) } }
    func reset(_ value: Double) { highest.withLock { $0 = value } }

    /// Sees `pid`'s resident memory every `interval` seconds, on a thread of its own, until
    /// `done` is set.
    func sample(_ pid: pid_t, every interval: TimeInterval, until done: Flag) {
        Thread.detachNewThread { [self] in
            while !done.isSet {
                let rss = HostileBenchmark.residentMegabytes(pid)
                if !rss.isNaN { see(rss) }
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }
}
