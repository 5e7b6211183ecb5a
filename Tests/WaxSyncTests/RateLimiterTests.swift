import Foundation
import Testing
@testable import WaxSync

/// The limiter's schedule, with time passed in explicitly.
@Suite struct RateLimiterTests {
    private func ticket(_ reservation: RateLimiter.Reservation, sourceLocation: SourceLocation = #_sourceLocation) -> RateLimiter.Ticket? {
        guard case .go(let ticket) = reservation else {
            Issue.record("expected a slot, got \(reservation)", sourceLocation: sourceLocation)
            return nil
        }
        return ticket
    }

    private func wait(_ reservation: RateLimiter.Reservation) -> TimeInterval {
        if case .wait(let seconds) = reservation { return seconds }
        return 0
    }

    @Test func burstsWhileTheWindowHasRoomThenFollowsItExactly() throws {
        let limiter = RateLimiter(limit: 60, window: 60, margin: 0.01)
        for i in 0..<60 {
            let t = Double(i) * 0.02
            let slot = try #require(ticket(limiter.reserve(at: t)))               // the whole budget goes at once
            limiter.completed(slot, limit: 60, remaining: 59 - i, at: t + 0.02)
        }
        // Request 61 waits until request 1 (answered at 0.02) leaves the window.
        #expect(abs(wait(limiter.reserve(at: 1.2)) - (0.02 + 60 + 0.01 - 1.2)) < 1e-9)
        #expect(ticket(limiter.reserve(at: 60.031)) != nil)                      // request 1 has left
        let next = wait(limiter.reserve(at: 60.035))                             // request 2 (answered at 0.04) has not
        #expect(abs(next - (0.04 + 60 + 0.01 - 60.035)) < 1e-9)
    }

    @Test func aRequestInFlightHoldsItsSlotHoweverLongItTakes() throws {
        // Two a second. The first request hangs for 5 s: the window must not forget it.
        let limiter = RateLimiter(limit: 2, window: 1, margin: 0.01)
        let slow = try #require(ticket(limiter.reserve(at: 0)))
        let quick = try #require(ticket(limiter.reserve(at: 0)))
        limiter.completed(quick, limit: nil, remaining: nil, at: 0.1)
        #expect(wait(limiter.reserve(at: 0.5)) > 0)
        #expect(ticket(limiter.reserve(at: 1.2)) != nil)                         // quick left the window
        #expect(wait(limiter.reserve(at: 3)) > 0, "slow still counts while in flight")
        limiter.completed(slow, limit: nil, remaining: nil, at: 5)
        #expect(wait(limiter.reserve(at: 5.5)) > 0, "answered at 5: counted until 6")
        #expect(ticket(limiter.reserve(at: 6.02)) != nil)
    }

    @Test func aFullServerWindowIsProbedOncePerSlot() throws {
        let limiter = RateLimiter(limit: 60, window: 60)
        let first = try #require(ticket(limiter.reserve(at: 0)))
        limiter.completed(first, limit: 60, remaining: 0, at: 0.1)              // someone else used the budget
        let seconds = wait(limiter.reserve(at: 0.1))
        #expect(seconds > 0.99 && seconds <= 1.0)                                 // one slot: window / limit
        #expect(ticket(limiter.reserve(at: 1.2)) != nil)                         // then a probe goes
    }

    @Test func theServersLimitWins() throws {
        let limiter = RateLimiter(limit: 60, window: 60)
        let first = try #require(ticket(limiter.reserve(at: 0)))
        limiter.completed(first, limit: 25, remaining: 24, at: 0.01)            // unauthenticated: 25
        for i in 1..<25 { #expect(ticket(limiter.reserve(at: 0.01 + Double(i) * 0.001)) != nil) }
        #expect(wait(limiter.reserve(at: 0.1)) > 0)
    }

    @Test func a429BlocksEverything() {
        let limiter = RateLimiter(limit: 60, window: 60)
        limiter.block(for: 5, at: 10)
        #expect(abs(wait(limiter.reserve(at: 11)) - 4) < 1e-9)
        #expect(ticket(limiter.reserve(at: 15.001)) != nil)
    }

    /// A full window of release-details downloads: the details leave 10 slots free, the sync
    /// 6, the orders 4; staff act twice in a row at once and wait behind nobody (they waited
    /// 49 s).
    @Test func staffWritesNeverWaitBehindBackgroundReads() throws {
        let limiter = RateLimiter(limit: 60, window: 60, margin: 0.01)
        var t = 0.0
        /// Requests of `priority`, one every `step` seconds, until the limiter says wait.
        func fill(_ priority: RequestPriority, step: Double) -> Int {
            var sent = 0
            while sent < 100, case .go(let slot) = limiter.reserve(at: t, priority: priority) {
                limiter.completed(slot, limit: 60, remaining: nil, at: t + 0.01)
                sent += 1
                t += step
            }
            return sent
        }
        #expect(fill(.details, step: 1) == 50, "the details download stops with 10 slots free")
        #expect(fill(.inventory, step: 1) == 4, "the inventory sync stops with 6 free")
        #expect(fill(.orders, step: 0.02) == 2, "the orders poll stops with 4 free")
        // A counter sale, the first (the token's check, the read, the write, the read back).
        for _ in 0..<4 {
            let slot = try #require(ticket(limiter.reserve(at: t, priority: .staff)))
            limiter.completed(slot, limit: 60, remaining: nil, at: t + 0.01)
            t += 0.02
        }
        #expect(wait(limiter.reserve(at: t, priority: .orders)) > 0, "60 of 60 used")
        // A minute after the first details request, it leaves the window; the details still
        // wait (the slot is above their headroom), staff take it.
        let freed = 0.01 + 60 + 0.01 + 0.001
        #expect(wait(limiter.reserve(at: freed, priority: .details)) > 0)
        #expect(ticket(limiter.reserve(at: freed, priority: .staff)) != nil)
    }

    /// The background work goes in a short burst, then at the window's pace: its slots leave
    /// the window one by one, not all at once a minute later.
    @Test func backgroundWorkKeepsToAPaceAfterAShortBurst() throws {
        let limiter = RateLimiter(limit: 60, window: 60, margin: 0.01)
        var sent = 0
        while case .go(let slot) = limiter.reserve(at: 0, priority: .details) {
            limiter.completed(slot, limit: 60, remaining: nil, at: 0.01)
            sent += 1
        }
        #expect(sent == RateLimiter.burst(of: 60) + 1)
        let pause = wait(limiter.reserve(at: 0, priority: .inventory))
        #expect(pause > 0.9 && pause <= 1.0, "one a second after the burst, inventory or details alike: \(pause)")
        #expect(ticket(limiter.reserve(at: 0, priority: .staff)) != nil, "staff are not paced")
        #expect(ticket(limiter.reserve(at: 0, priority: .orders)) != nil, "nor is the orders poll")
        #expect(RateLimiter.burst(of: 10_000) == 1_250, "a test's generous fake is not slowed")
    }

    /// The busy-window benchmark's schedule on the limiter alone: a sync starts paging, and
    /// from 20 s on staff act every `spacing` seconds (3 requests each). Returns staff's
    /// longest wait and the sync's requests in 5 minutes.
    private func busyCounter(spacing: Double) -> (longestWait: TimeInterval, syncSent: Int) {
        let limiter = RateLimiter(limit: 60, window: 60, margin: 0.01)
        var longest = 0.0, syncSent = 0
        var pending: [(due: Double, asked: Double)] = []
        var t = 0.0
        var nextAction = 20.0
        while t < 300 {
            if t >= nextAction {
                pending += Array(repeating: (t, t), count: 3)
                nextAction += spacing
            }
            while let first = pending.first, first.due <= t {
                switch limiter.reserve(at: t, priority: .staff) {
                case .go(let slot):
                    limiter.completed(slot, limit: 60, remaining: nil, at: t + 0.02)
                    longest = max(longest, t - first.asked)
                    pending.removeFirst()
                case .wait(let seconds):
                    pending[0].due = t + seconds
                }
                if let next = pending.first, next.due > t { break }
            }
            if case .go(let slot) = limiter.reserve(at: t, priority: .inventory) {
                limiter.completed(slot, limit: 60, remaining: nil, at: t + 0.02)
                syncSent += 1
            }
            t += 0.05
        }
        return (longest, syncSent)
    }

    /// A busy counter, an action every 10 s beside a sync that started first, never waits on
    /// the window, and the sync goes on. (Every 5 s, 36 of the 60 requests a minute, it does:
    /// the sync's first minute is in the window until a minute later, whatever the priorities.)
    @Test func aCounterBesideASyncDoesNotWaitForTheWindow() {
        let steady = busyCounter(spacing: 10)
        #expect(steady.longestWait < 1, "an action waited \(steady.longestWait) s")
        #expect(steady.syncSent >= 5 * 35, "the sync sent \(steady.syncSent) requests in 5 minutes")
    }

    /// Priorities in order: each leaves more room than the one above it.    /// Priorities in order: each leaves more room than the one above it.
    @Test func eachPriorityLeavesMoreRoomThanTheOneAbove() {
        for limit in [25, 60, 1_000] {
            let rooms = RequestPriority.allCases.sorted().map { $0.headroom(of: limit) }
            #expect(rooms == rooms.sorted(by: >) && rooms.last == 0 && rooms.allSatisfy { $0 < limit }, "\(limit): \(rooms)")
        }
    }

    @Test func retryDelaysGrowAndStayBounded() {
        var policy = RetryPolicy()
        policy.jitter = 0
        #expect(policy.delay(afterAttempt: 1, rateLimited: false, retryAfter: nil) == 1)
        #expect(policy.delay(afterAttempt: 3, rateLimited: false, retryAfter: nil) == 4)
        #expect(policy.delay(afterAttempt: 2, rateLimited: true, retryAfter: nil) == 10)
        #expect(policy.delay(afterAttempt: 9, rateLimited: true, retryAfter: nil) == 60)
        #expect(policy.delay(afterAttempt: 1, rateLimited: true, retryAfter: 7) == 7)
        #expect(policy.delay(afterAttempt: 1, rateLimited: true, retryAfter: 600) == 60)
    }

    @Test func plainHTTPIsOnlyForThisMachine() throws {
        for good in ["https://api.discogs.com", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9/x"] {
            #expect(throws: Never.self) { try DiscogsClient.validate(URL(string: good)!) }
        }
        for bad in ["http://api.discogs.com", "ftp://127.0.0.1", "http://10.0.0.5", "http://127.0.0.1.evil.example/"] {
            #expect(throws: DiscogsError.insecureBaseURL(bad)) { try DiscogsClient.validate(URL(string: bad)!) }
        }
        // Credentials in the URL never reach a message.
        #expect(throws: DiscogsError.insecureBaseURL("http://shop.example/api")) {
            try DiscogsClient.validate(URL(string: "http://user:hunter2@shop.example/api")!)
        }
    }

    @Test func originsCompareSchemeHostAndPort() {
        let base = URL(string: "https://api.discogs.com")!
        #expect(TokenSafety.sameOrigin(base, URL(string: "https://api.discogs.com:443/inventory/export/1")!))
        #expect(!TokenSafety.sameOrigin(base, URL(string: "http://api.discogs.com/x")!))
        #expect(!TokenSafety.sameOrigin(base, URL(string: "https://api.discogs.com:8443/x")!))
        #expect(!TokenSafety.sameOrigin(base, URL(string: "https://s3.amazonaws.com/x")!))
    }
}

/// The sender's and the poller's wake-up call.
@Suite struct AsyncWakeTests {
    /// A wait ended by a signal leaves nothing behind: its timer, cancelled, used to signal
    /// anyway, so the next wait returned at once (a spurious round after every nudge).
    @Test func aSignalledWaitLeavesNoSignalBehind() async {
        let wake = AsyncWake()
        let waiting = Task { await wake.wait(upTo: 3_600) }
        while !wake.isWaiting { await Task.yield() }
        wake.signal()
        await waiting.value
        #expect(!wake.isSignalled, "the wait's own timer signalled after the wait was over")
    }

    @Test func aWaitThatRanItsTimeLeavesNoSignalBehind() async {
        let wake = AsyncWake()
        await wake.wait(upTo: 0.001)
        #expect(!wake.isSignalled)
    }

    @Test func aSignalBeforeTheWaitEndsItAtOnce() async {
        let wake = AsyncWake()
        wake.signal()
        #expect(wake.isSignalled)
        await wake.wait(upTo: 3_600)   // returns: it would hang the test otherwise
        #expect(!wake.isSignalled)
    }
}
