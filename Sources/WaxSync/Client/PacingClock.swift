import Foundation
import Synchronization

/// The time the rate limiter and the retry back-off count in: monotonic seconds, and a way to
/// wait for them to pass.
///
/// Injected so that tests run on a clock nobody's machine load can move: a `ManualPacingClock`
/// advances only when the client waits, so "12 requests a second" means the same thing on a
/// busy CI machine as on an idle one. The fake Discogs counts its window on the same clock.
public protocol PacingClock: Sendable {
    /// Monotonic seconds (never jumps back, unlike the wall clock).
    func now() -> TimeInterval
    /// Waits until `now()` has advanced by `seconds` (throws when the task is cancelled).
    func sleep(for seconds: TimeInterval) async throws
    /// The wall-clock time matching `now()`: request times handed to another process (see
    /// `RateHistory`) travel as dates.
    func wallNow() -> Date
}

/// The machine's monotonic clock and real waits.
public struct SystemPacingClock: PacingClock {
    public init() {}

    public func now() -> TimeInterval { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    public func sleep(for seconds: TimeInterval) async throws {
        try await Task.sleep(for: .seconds(max(0, seconds)))
    }

    public func wallNow() -> Date { Date() }
}

/// A clock for tests: time stands still until someone waits on it, and a wait moves time to
/// its end at once. Whatever the machine's load, the same requests see the same times.
public final class ManualPacingClock: PacingClock {
    private let time: Mutex<TimeInterval>

    public init(start: TimeInterval = 1_000) {
        time = Mutex(start)
    }

    public func now() -> TimeInterval { time.withLock { $0 } }

    public func sleep(for seconds: TimeInterval) async throws {
        try Task.checkCancellation()
        advance(by: seconds)
        // Let the other tasks that share this clock run, as a real wait would.
        await Task.yield()
        try Task.checkCancellation()
    }

    /// A fixed wall-clock origin: dates move with this clock only.
    public func wallNow() -> Date { Date(timeIntervalSince1970: 1_700_000_000 + now()) }

    /// Moves time on (a test "waiting" for a window to pass).
    public func advance(by seconds: TimeInterval) {
        time.withLock { now in now += max(0, seconds) }
    }
}
