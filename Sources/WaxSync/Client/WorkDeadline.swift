import Foundation
import Synchronization

/// How long a piece of work (a sync's phase) may take, derived from how much there is to do,
/// and extendable once that is known (after the first page says how many there are).
/// `DiscogsClient` stops retrying, and starts nothing, past it.
public final class WorkDeadline: Sendable {
    private let state: Mutex<(end: ContinuousClock.Instant, bound: Double)>

    public init(seconds: Double) {
        state = Mutex((ContinuousClock.now.advanced(by: .seconds(seconds)), seconds))
    }

    /// The bound for `requests` requests at `slot` seconds each (the rate window's pace): three
    /// times the time the window alone needs, plus five minutes for one slow answer and its
    /// retries.
    public static func seconds(forRequests requests: Int, slot: Double) -> Double {
        300 + Double(max(0, requests)) * max(slot, 0.05) * 3
    }

    /// Leaves at least `seconds` from now (more work has become known), never less than before.
    public func ensure(atLeast seconds: Double) {
        state.withLock { s in
            let end = ContinuousClock.now.advanced(by: .seconds(seconds))
            if end > s.end {
                s.bound += DiscogsClient.seconds(s.end.duration(to: end))
                s.end = end
            }
        }
    }

    /// Seconds left (negative once passed).
    var remaining: Double { DiscogsClient.seconds(ContinuousClock.now.duration(to: state.withLock { $0.end })) }
    var bound: Double { state.withLock { $0.bound } }

    static func describe(_ seconds: Double) -> String {
        seconds >= 120 ? "\(Int((seconds / 60).rounded())) min" : "\(Int(seconds.rounded())) s"
    }
}
