import Foundation
import Synchronization

/// Paces requests so that a sync never draws a 429 from a server that allows `limit` requests in
/// any `window` seconds, while sending at once whenever the window has room (no fixed sleeps).
///
/// It keeps the times of its own recent requests: request N+limit goes when request N leaves
/// the window. A request's time is when its answer came back (the server counted it somewhere
/// between sending and answering, so the answer's time is the safe one; stamping the send time
/// drew 429s when a busy server admitted requests late). It also believes the server: `X-Discogs-Ratelimit` sets the limit, and a
/// low `X-Discogs-Ratelimit-Remaining` (something else on this IP is using the budget) slows it
/// down to one probe per `window/limit` until the server reports room again.
final class RateLimiter: Sendable {
    private struct State {
        var limit: Int
        var window: TimeInterval
        var sent: [TimeInterval] = []
        var inFlight = 0
        var serverRemaining: Int?
        var serverReportedAt: TimeInterval = 0
        var blockedUntil: TimeInterval = 0
    }

    private let state: Mutex<State>
    /// Requests go out this long after their predecessor leaves the window, so that latency
    /// jitter can't make the server see limit+1 requests in one window.
    let margin: TimeInterval

    init(limit: Int = 60, window: TimeInterval = 60, margin: TimeInterval = 0.01) {
        state = Mutex(State(limit: limit, window: window))
        self.margin = margin
    }

    static func now() -> TimeInterval { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// How long to wait before the next request may go; zero means it was counted (stamped `now`
    /// until `completed` restamps it) and may go now.
    func reserve(at now: TimeInterval = now()) -> TimeInterval {
        state.withLock { s in
            if let first = s.sent.firstIndex(where: { $0 > now - s.window }) {
                if first > 0 { s.sent.removeFirst(first) }
            } else {
                s.sent.removeAll()
            }
            if now < s.blockedUntil { return s.blockedUntil - now }
            // Our own requests fill the window: wait exactly until the oldest leaves it.
            if s.sent.count >= s.limit {
                return max(0.001, s.sent[s.sent.count - s.limit] + s.window + margin - now)
            }
            // The server says it is full though our own requests don't explain it (something
            // else on this IP): probe once per slot.
            let beat = s.window / Double(max(1, s.limit))
            if let remaining = s.serverRemaining, remaining - s.inFlight <= 0, now < s.serverReportedAt + beat {
                return s.serverReportedAt + beat - now
            }
            s.sent.append(now)
            s.inFlight += 1
            return 0
        }
    }

    /// A request reserved at `sentAt` was answered now; the server said this in its headers.
    func completed(sentAt: TimeInterval?, limit: Int?, remaining: Int?, at now: TimeInterval = now()) {
        state.withLock { s in
            s.inFlight = max(0, s.inFlight - 1)
            if let sentAt, let index = s.sent.firstIndex(of: sentAt) {
                s.sent.remove(at: index)
                let at = s.sent.firstIndex { $0 > now } ?? s.sent.count
                s.sent.insert(now, at: at)
            }
            if let limit, limit > 0 { s.limit = limit }
            if let remaining {
                s.serverRemaining = remaining
                s.serverReportedAt = now
            }
        }
    }

    func setLimit(_ limit: Int) {
        state.withLock { s in if limit > 0 { s.limit = limit } }
    }

    /// After a 429: nothing goes out for `seconds`.
    func block(for seconds: TimeInterval, at now: TimeInterval = now()) {
        state.withLock { s in s.blockedUntil = max(s.blockedUntil, now + seconds) }
    }

    var limit: Int { state.withLock { $0.limit } }

    /// Request times still inside the window (monotonic seconds).
    var history: [TimeInterval] {
        state.withLock { s in
            let now = Self.now()
            return s.sent.filter { $0 > now - s.window }
        }
    }

    /// Adopts request times from an earlier run (monotonic seconds, oldest first).
    func adopt(_ times: [TimeInterval]) {
        state.withLock { s in
            s.sent = (s.sent + times).sorted()
            if s.sent.count > s.limit * 4 { s.sent.removeFirst(s.sent.count - s.limit * 4) }
        }
    }

    /// Requests that may go right now without waiting.
    var available: Int {
        state.withLock { s in
            let now = Self.now()
            return max(0, s.limit - s.sent.filter { $0 > now - s.window }.count)
        }
    }
}

/// How hard to try again.
public struct RetryPolicy: Sendable {
    /// Tries per request, the first included (a full rate window costs one slot's wait each).
    public var attempts = 8
    /// First wait after a 5xx, an unreadable body or a network error; doubles each time.
    public var baseDelay: TimeInterval = 1
    /// First wait after a 429 without Retry-After; doubles each time.
    public var rateLimitDelay: TimeInterval = 5
    public var maxDelay: TimeInterval = 60
    /// ± this fraction, so that many clients don't retry in step.
    public var jitter = 0.25

    public init() {}

    /// Small delays for tests against the fake.
    public static func quick(attempts: Int = 6) -> RetryPolicy {
        var policy = RetryPolicy()
        policy.attempts = attempts
        policy.baseDelay = 0.01
        policy.rateLimitDelay = 0.02
        policy.maxDelay = 0.2
        return policy
    }

    func delay(afterAttempt attempt: Int, rateLimited: Bool, retryAfter: TimeInterval?) -> TimeInterval {
        if let retryAfter { return min(maxDelay, max(0, retryAfter)) }
        let base = (rateLimited ? rateLimitDelay : baseDelay) * pow(2, Double(attempt - 1))
        let spread = base * jitter * Double.random(in: -1...1)
        return min(maxDelay, max(0, base + spread))
    }
}
