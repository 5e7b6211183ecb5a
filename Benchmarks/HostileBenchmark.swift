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
    }

    /// Runs `wax serve` under a 1,024-descriptor limit for `body`, then stops it.
    static func serve(_ wax: URL, _ environment: [String: String], label: String, cap: String?,
                      _ body: (UInt16, pid_t) async throws -> Void) async throws {
        var arguments = ["--nofile=1024:1024", wax.path, "serve", "--port", "0"]
        if let cap { arguments += ["--max-connections", cap] }
        let server = try Subprocess.start(URL(fileURLWithPath: "/usr/bin/prlimit"), arguments, environment: environment)
        defer { server.signal(SIGKILL) }
        let banner = try await server.waitForError(containing: "serving http://", timeout: 60)
        guard let match = banner.firstMatch(of: /127\.0\.0\.1:(\d+)/), let port = UInt16(match.1) else { throw BenchError("no address: \(banner)") }
        print("\nwax serve under --nofile=1024, \(label):")
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
        let sampler = Thread {
            while !done.isSet {
                peak.see(residentMegabytes(pid))
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        sampler.start()
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
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kb / 1024
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
}
