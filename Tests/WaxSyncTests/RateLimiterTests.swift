import Testing
@testable import WaxSync

/// The limiter's schedule, with time passed in explicitly.
@Suite struct RateLimiterTests {
    @Test func burstsWhileTheWindowHasRoomThenFollowsItExactly() {
        let limiter = RateLimiter(limit: 60, window: 60, margin: 0.01)
        for i in 0..<60 {
            let t = Double(i) * 0.02
            #expect(limiter.reserve(at: t) == 0)               // the whole budget goes at once
            limiter.completed(sentAt: t, limit: 60, remaining: 59 - i, at: t + 0.02)
        }
        // Request 61 waits until request 1 (answered at 0.02) leaves the window.
        let wait = limiter.reserve(at: 1.2)
        #expect(abs(wait - (0.02 + 60 + 0.01 - 1.2)) < 1e-9)
        #expect(limiter.reserve(at: 60.031) == 0)                // request 1 has left
        let next = limiter.reserve(at: 60.035)                  // request 2 (answered at 0.04) has not
        #expect(abs(next - (0.04 + 60 + 0.01 - 60.035)) < 1e-9)
    }

    @Test func aFullServerWindowIsProbedOncePerSlot() {
        let limiter = RateLimiter(limit: 60, window: 60)
        #expect(limiter.reserve(at: 0) == 0)
        limiter.completed(sentAt: 0, limit: 60, remaining: 0, at: 0.1)   // someone else used the budget
        let wait = limiter.reserve(at: 0.1)
        #expect(wait > 0.99 && wait <= 1.0)                     // one slot: window / limit
        #expect(limiter.reserve(at: 1.2) == 0)                  // then a probe goes
    }

    @Test func theServersLimitWins() {
        let limiter = RateLimiter(limit: 60, window: 60)
        #expect(limiter.reserve(at: 0) == 0)
        limiter.completed(sentAt: 0, limit: 25, remaining: 24, at: 0.01)  // unauthenticated: 25
        for i in 1..<25 { #expect(limiter.reserve(at: 0.01 + Double(i) * 0.001) == 0) }
        #expect(limiter.reserve(at: 0.1) > 59)
    }

    @Test func a429BlocksEverything() {
        let limiter = RateLimiter(limit: 60, window: 60)
        limiter.block(for: 5, at: 10)
        #expect(abs(limiter.reserve(at: 11) - 4) < 1e-9)
        #expect(limiter.reserve(at: 15.001) == 0)
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
        for good in ["https://api.discogs.com", "http://127.0.0.1:8080", "http://localhost:1"] {
            #expect(throws: Never.self) { try DiscogsClient.validate(URL(string: good)!) }
        }
        for bad in ["http://api.discogs.com", "ftp://127.0.0.1", "http://10.0.0.5"] {
            #expect(throws: DiscogsError.insecureBaseURL(bad)) { try DiscogsClient.validate(URL(string: bad)!) }
        }
    }
}

import Foundation
