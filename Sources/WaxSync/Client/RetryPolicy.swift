import Foundation

/// How hard to try again, and for how long.
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
    /// No retry starts once a request has taken this long, waits included: a server that keeps
    /// failing, or accepts and never answers, costs a bounded time, whatever the attempts left.
    public var budget: TimeInterval = 120

    public init() {}

    /// Small delays for tests against the fake.
    public static func quick(attempts: Int = 6) -> RetryPolicy {
        var policy = RetryPolicy()
        policy.attempts = attempts
        policy.baseDelay = 0.01
        policy.rateLimitDelay = 0.02
        policy.maxDelay = 0.2
        // Short waits, but no time budget a loaded machine could spend: a test of retries must
        // not fail because each attempt was slow (120 s went in five attempts on a busy CI).
        policy.budget = 3_600
        return policy
    }

    func delay(afterAttempt attempt: Int, rateLimited: Bool, retryAfter: TimeInterval?) -> TimeInterval {
        if let retryAfter { return min(maxDelay, max(0, retryAfter)) }
        let base = (rateLimited ? rateLimitDelay : baseDelay) * pow(2, Double(attempt - 1))
        let spread = base * jitter * Double.random(in: -1...1)
        return min(maxDelay, max(0, base + spread))
    }
}
