import Foundation

/// Discogs' limit: at most `limit` requests in any `window` seconds (a moving window, so it
/// frees up request by request, and fully after `window` seconds of silence).
struct RateWindow {
    let limit: Int
    let window: TimeInterval
    private var sent: [TimeInterval] = []   // times of accepted requests, oldest first
    private var head = 0

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Counts the request if the window has room. Returns whether it was accepted and the
    /// number used after it.
    mutating func admit(at now: TimeInterval) -> (accepted: Bool, used: Int) {
        while head < sent.count && sent[head] <= now - window { head += 1 }
        if head > 4_096 {
            sent.removeFirst(head)
            head = 0
        }
        let used = sent.count - head
        guard used < limit else { return (false, used) }
        sent.append(now)
        return (true, used + 1)
    }
}
