import Foundation
import NIOCore
import Testing
@testable import WaxServer
import WaxStore
import WaxTestSupport

/// `wax serve` against clients that mean harm or are broken: oversized and slow heads, bytes
/// that are not HTTP, more connections than it should hold, clients that stop reading. After
/// each, `/healthz` must still answer.
@Suite struct HostileTrafficTests {
    func port(_ api: APIHarness) -> Int { api.url.port! }

    func statusLine(_ response: [UInt8]) -> String {
        String(decoding: response, as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
    }

    /// A server of four places that holds them as long as any test runs (an idle timeout no
    /// load can cross: at 30 s, the first was let go before the fifth came), with `held` of them
    /// taken by connections that asked for /healthz.
    func fullServer(holding count: Int = 4) async throws -> (APIHarness, [RawConnection]) {
        let api = try await APIHarness.start {
            $0.maxConnections = 4
            $0.perAddress = 100
            $0.idleTimeout = .seconds(600)
            $0.firstByteTimeout = .seconds(600)
        }
        var held: [RawConnection] = []
        for _ in 0..<count {
            let connection = try RawConnection(port: port(api))
            await connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await connection.readResponse().hasPrefix("HTTP/1.1 200 OK"))
            held.append(connection)
        }
        return (api, held)
    }

    func stillHealthy(_ api: APIHarness) async throws {
        let health = try await api.get("/healthz")
        #expect(health.status == 200 && health.object["status"] as? String == "ok")
    }

    @Test func aMegabyteRequestLineIsA414AtOnce() async throws {
        let api = try await APIHarness.start()
        try await withCleanup({ await api.stop() }) { () async throws in
            let connection = try RawConnection(port: port(api))
            // The server answers after its 8 KiB limit, while the rest is still being sent.
            await connection.send("GET /api/search?q=" + String(repeating: "a", count: 1_000_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = await connection.readAll()
            #expect(statusLine(response) == "HTTP/1.1 414 URI Too Long")
            #expect(String(decoding: response, as: UTF8.self).contains("\"error\":\"the request line is over 8 KiB\""))
            try await stillHealthy(api)
        }
    }

    @Test func oversizedOrCountlessHeadersAreA431() async throws {
        let api = try await APIHarness.start()
        try await withCleanup({ await api.stop() }) { () async throws in
            let big = try RawConnection(port: port(api))
            await big.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Junk: " + String(repeating: "b", count: 200_000) + "\r\n\r\n")
            #expect(statusLine(await big.readAll()) == "HTTP/1.1 431 Request Header Fields Too Large")
            let many = try RawConnection(port: port(api))
            await many.send("GET /healthz HTTP/1.1\r\n" + (0..<150).map { "X-H\($0): v\r\n" }.joined() + "\r\n")
            let response = await many.readAll()
            #expect(statusLine(response) == "HTTP/1.1 431 Request Header Fields Too Large")
            #expect(String(decoding: response, as: UTF8.self).contains("over 100 header lines"))
            try await stillHealthy(api)
        }
    }

    @Test func aHeadThatNeverEndsIsA408() async throws {
        let api = try await APIHarness.start { $0.headDeadline = .milliseconds(300) }
        try await withCleanup({ await api.stop() }) { () async throws in
            let slow = try RawConnection(port: port(api))
            await slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")   // and nothing more
            let response = await slow.readAll()
            #expect(statusLine(response) == "HTTP/1.1 408 Request Timeout")
            try await stillHealthy(api)
        }
    }

    @Test func bytesThatAreNotHTTPGetA400() async throws {
        let api = try await APIHarness.start()
        try await withCleanup({ await api.stop() }) { () async throws in
            let cases: [(String, [UInt8])] = [
                ("raw non-UTF-8 in the request line", Array("GET /api/search?q=".utf8) + [0xFF, 0xFE] + Array(" HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
                ("raw non-UTF-8 in a header", Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Name: ".utf8) + [0xC3, 0x28] + Array("\r\n\r\n".utf8)),
                ("HTTP/0.9", Array("GET /healthz\r\n\r\n".utf8)),
                ("garbage", Array("\u{01}\u{02}hello there, server\r\n\r\n".utf8)),
            ]
            for (what, bytes) in cases {
                let connection = try RawConnection(port: port(api))
                await connection.send(bytes)
                let response = await connection.readAll()
                #expect(statusLine(response) == "HTTP/1.1 400 Bad Request", "\(what): \(String(decoding: response.prefix(200), as: UTF8.self))")
            }
            try await stillHealthy(api)
        }
    }

    @Test func connectionsPastTheCapGetA503AndTheServerStays() async throws {
        var (api, held) = try await fullServer()
        try await withCleanup({ await api.stop() }) { () async throws in
            // The few places kept for /healthz alone, then no more.
            for _ in 0..<8 { held.append(try RawConnection(port: port(api))) }
            for _ in 0..<200 where api.server.openConnections < 12 { try await Task.sleep(for: .milliseconds(20)) }
            let refused = try RawConnection(port: port(api))
            let answer = await refused.readAll()
            #expect(statusLine(answer) == "HTTP/1.1 503 Service Unavailable",
                    "\(api.server.openConnections) open; got \(answer.count) bytes: \(String(decoding: answer.prefix(200), as: UTF8.self))")
            held.removeAll()      // closing them frees their places
            var answered = false
            for _ in 0..<200 where !answered {
                answered = (try? await api.get("/healthz").status) == 200
                if !answered { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(answered)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        let api = try await APIHarness.start { $0.idleTimeout = .milliseconds(300) }
        try await withCleanup({ await api.stop() }) { () async throws in
            let connection = try RawConnection(port: port(api))
            await connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await connection.readResponse().hasPrefix("HTTP/1.1 200 OK"))
            // Nothing more is asked: the server closes it (readAll returns at the close, not at its
            // own 30 s timeout).
            let started = ContinuousClock.now
            #expect(await connection.readAll(timeout: 30).isEmpty)
            #expect(started.duration(to: .now) < .seconds(25))
        }
    }

    @Test func everythingIsStreamedWithTheBufferedBytes() async throws {
        let api = try await APIHarness.start(fixture: false)
        try await withCleanup({ await api.stop() }) { () async throws in
            // More listings than one streamed piece holds, so the pieces' joins are checked.
            let records = (1...300).map { Fixture.listing(Int64($0), artist: "Artist \($0)", title: "Title \($0)", location: "A\($0 % 9)") }
            _ = try api.inventory.importer.importListings(records)
            let streamed = try await api.get("/api/data")
            #expect(streamed.status == 200 && streamed.header("X-Total-Count") == "300")
            #expect(streamed.header("Transfer-Encoding") == "chunked")
            let expected = ListingJSON.arrayUTF8(try api.inventory.allListings()) + [UInt8(ascii: "\n")]
            #expect(Array(streamed.body) == expected)
            // HEAD: the same head, no body.
            let head = try await api.send("HEAD", "/api/data")
            #expect(head.status == 200 && head.body.isEmpty && head.header("X-Total-Count") == "300")
            let headStats = try await api.send("HEAD", "/api/stats")
            #expect(headStats.status == 200 && headStats.body.isEmpty && Int(headStats.header("Content-Length") ?? "") ?? 0 > 10)
        }
    }

    @Test func aClientThatStopsReadingIsLetGo() async throws {
        let api = try await APIHarness.start(fixture: false) { $0.idleTimeout = .milliseconds(500) }
        try await withCleanup({ await api.stop() }) { () async throws in
            let records = (1...3_000).map { Fixture.listing(Int64($0), artist: "Artist \($0)", title: String(repeating: "Long title \($0) ", count: 8)) }
            _ = try api.inventory.importer.importListings(records)
            let connection = try RawConnection(port: port(api))
            await connection.send("GET /api/data HTTP/1.1\r\nHost: x\r\n\r\n")
            // Read nothing: the socket fills, the server stops producing, then gives up on us.
            var closed = false
            for _ in 0..<300 where !closed {
                try await Task.sleep(for: .milliseconds(100))
                closed = api.server.openConnections == 0
            }
            #expect(closed, "the stalled connection is still open")
            try await stillHealthy(api)
        }
    }

    /// One client sends a thousand pipelined requests for big pages and reads nothing: the
    /// server answers the first and holds the rest until it is read (it buffered 2 GB).
    @Test func aPipeliningClientThatReadsNothingGetsOneAnswerAtATime() async throws {
        let api = try await APIHarness.start(fixture: false) { $0.idleTimeout = .seconds(600) }
        try await withCleanup({ await api.stop() }) { () async throws in
            let records = (1...2_000).map { Fixture.listing(Int64($0), artist: "Artist \($0)", title: String(repeating: "Long title \($0) ", count: 6)) }
            _ = try api.inventory.importer.importListings(records)
            let connection = try RawConnection(port: port(api))
            let request = "GET /api/data?per_page=1000&page=1 HTTP/1.1\r\nHost: x\r\n\r\n"
            await connection.send(String(repeating: request, count: 300))
            var peak = 0
            for _ in 0..<30 {
                try await Task.sleep(for: .milliseconds(100))
                peak = max(peak, api.server.bufferedOutput)
            }
            #expect(peak < 8 << 20, "\(peak >> 20) MB of answers buffered for a client that reads nothing")
            try await stillHealthy(api)
            // Once it reads, every answer comes, in order.
            let first = await connection.readResponse()
            #expect(first.hasPrefix("HTTP/1.1 200 OK"))
        }
    }

    /// Requests with a body are answered at once (405, 413, 403), the body read or discarded:
    /// a split on "\n" missed "\r\n" headers, so every body was read as the next head (a 408
    /// after 10 s, a 414 for a 30-byte request line).
    @Test func requestsWithABodyAreAnsweredAtOnce() async throws {
        let api = try await APIHarness.start()
        try await withCleanup({ await api.stop() }) { () async throws in
            let cases: [(String, String)] = [
                ("POST /api/stats HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", "HTTP/1.1 405"),
                ("DELETE /api/data/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nxx", "HTTP/1.1 405"),
                ("PUT /api/data/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nxx", "HTTP/1.1 405"),
                ("PATCH /api/data/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nxx", "HTTP/1.1 405"),
                ("POST /api/sync HTTP/1.1\r\nHost: x\r\nContent-Length: 20480\r\n\r\n" + String(repeating: "a", count: 20_480), "HTTP/1.1 403"),
                ("POST /api/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" + String(repeating: "a", count: 200_000), "HTTP/1.1 413"),
                ("POST /api/stats HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\nx", "HTTP/1.1 501"),
            ]
            // The status says it: a body read as the next head was a 408 or a 414, never these.
            for (request, expected) in cases {
                let connection = try RawConnection(port: port(api))
                await connection.send(request)
                let answer = await connection.readResponse(timeout: 30)
                #expect(answer.hasPrefix(expected), "\(request.prefix(40)): \(answer.prefix(120))")
            }
            // The same connection goes on after a body: the next request is read as one.
            let connection = try RawConnection(port: port(api))
            await connection.send("POST /api/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await connection.readResponse().hasPrefix("HTTP/1.1 405"))
            #expect(await connection.readResponse().hasPrefix("HTTP/1.1 200 OK"))
        }
    }

    /// Silent connections are let go after a few seconds, one client address gets a quarter of
    /// the places, and /healthz still answers from elsewhere (2,000 silent connections locked
    /// it out for 25 s).
    @Test func silentConnectionsFromOneClientLockNobodyOut() async throws {
        let api = try await APIHarness.start {
            $0.maxConnections = 40
            $0.firstByteTimeout = .milliseconds(600)
        }
        try await withCleanup({ await api.stop() }) { () async throws in
            #expect(api.server.connectionCap == 40)
            var silent: [RawConnection] = []
            for _ in 0..<80 { if let connection = try? RawConnection(port: port(api)) { silent.append(connection) } }
            // Another client still gets in while they hold their places.
            let other = try RawConnection(port: port(api), from: "127.0.0.2")
            await other.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await other.readResponse().hasPrefix("HTTP/1.1 200 OK"))
            // A silent one is closed with a 408 once its moment has passed.
            let answer = await silent[0].readAll(timeout: 30)
            #expect(statusLine(answer).hasPrefix("HTTP/1.1 408") || statusLine(answer).hasPrefix("HTTP/1.1 503"), "\(statusLine(answer))")
            var freed = false
            for _ in 0..<300 where !freed {
                try await Task.sleep(for: .milliseconds(50))
                freed = api.server.openConnections <= 1
            }
            #expect(freed, "\(api.server.openConnections) still open")
            try await stillHealthy(api)
        }
    }

    /// Past the cap, a few connections are still taken, for /healthz alone: a monitor hears
    /// from a full server; anything else on them is a 503.
    @Test func pastTheCapHealthzIsStillAnswered() async throws {
        let (api, held) = try await fullServer()
        try await withCleanup({ await api.stop() }) { () async throws in
            let monitor = try RawConnection(port: port(api))
            await monitor.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await monitor.readResponse().hasPrefix("HTTP/1.1 200 OK"))
            let other = try RawConnection(port: port(api))
            await other.send("GET /api/stats HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await other.readResponse().hasPrefix("HTTP/1.1 503"))
            _ = held
        }
    }

    /// A control character in any parameter is a 400 (`q=a%00b` matched half the shop and sent
    /// 5 MB); the old parameters stay lenient about `%` as the old app was.
    @Test func controlCharactersInAParameterAreA400() async throws {
        let api = try await APIHarness.start()
        try await withCleanup({ await api.stop() }) { () async throws in
            for query in ["q=a%00b", "artist=x%0Ay", "min_price=1%09"] {
                let reply = try await api.get("/api/search?\(query)")
                #expect(reply.status == 400 && (reply.object["error"] as? String)?.contains("control character") == true, "\(query): \(reply.status)")
            }
            for query in ["q=%", "q=100%", "q=%zz", "q=%ff"] {
                #expect(try await api.get("/api/search?\(query)").status == 200, "\(query) is read as the old app read it")
            }
        }
    }
}
