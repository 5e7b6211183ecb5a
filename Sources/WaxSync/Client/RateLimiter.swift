import Foundation
import Synchronization

/// Paces requests so that a sync never draws a 429 from a server that allows `limit` requests in
/// any `window` seconds, while sending at once whenever the window has room (no fixed sleeps).
///
/// A request occupies a slot from the moment it is reserved until `window` seconds after its
/// answer came back. The server counted it somewhere between the two, so the answer's time is
/// the safe one; and a request still in flight holds its slot however long it takes (forgetting
/// a slow one let the next request go while the server still counted it: under load, the fake
/// saw 15 requests in a window of 12). With both rules, any `limit + 1` requests the server
/// admits within one window would need the last of them to have been reserved while the other
/// `limit` were all counted here, which the limiter refuses: no timing can break it.
///
/// The window is shared by priority (`RequestPriority`): each kind of work leaves some slots to
/// the work above it, so a counter sale never waits behind a release-details download, and the
/// orders poll never behind the inventory. A low priority only takes a slot while more than its
/// headroom is free; the top one takes any. The long background work (the inventory, the
/// details) is also paced: after a short burst, one request per `window / limit`. Had it taken
/// its whole share in the first seconds, its slots would all leave the window together a
/// minute later, and staff acting twice in that minute waited for them (40 s).
///
/// It also believes the server: `X-Discogs-Ratelimit` sets the limit, and a low
/// `X-Discogs-Ratelimit-Remaining` (something else on this IP is using the budget) slows it to
/// one probe per `window / limit` until the server reports room again.
final class RateLimiter: Sendable {
    /// A reserved slot, handed back with `completed`.
    struct Ticket: Sendable, Equatable {
        fileprivate let id: UInt64
        /// When it was reserved.
        let at: TimeInterval
    }

    enum Reservation: Sendable, Equatable {
        case go(Ticket)
        case wait(TimeInterval)
    }

    private struct State {
        var limit: Int
        var window: TimeInterval
        /// Answer times of completed requests still inside the window, oldest first.
        var answered: [TimeInterval] = []
        /// Reservation times of requests not answered yet, by ticket.
        var inFlight: [UInt64: TimeInterval] = [:]
        var nextTicket: UInt64 = 1
        var serverRemaining: Int?
        var serverReportedAt: TimeInterval = 0
        var blockedUntil: TimeInterval = 0
        /// When the paced work's next request is due if it kept exactly to its pace (GCRA's
        /// theoretical arrival time); it may run `burst` requests ahead.
        var pacedDue: TimeInterval = 0

        mutating func prune(_ now: TimeInterval) {
            let first = answered.firstIndex { $0 > now - window } ?? answered.count
            if first > 0 { answered.removeFirst(first) }
        }
    }

    private let state: Mutex<State>
    let clock: any PacingClock
    /// Requests go out this long after their predecessor leaves the window, so that rounding
    /// can't make the server see limit+1 requests in one window.
    let margin: TimeInterval

    init(limit: Int = 60, window: TimeInterval = 60, margin: TimeInterval = 0.01, clock: any PacingClock = SystemPacingClock()) {
        state = Mutex(State(limit: limit, window: window))
        self.margin = margin
        self.clock = clock
    }

    /// A slot now, or how long to wait before asking again.
    func reserve(at now: TimeInterval? = nil, priority: RequestPriority = .staff) -> Reservation {
        let now = now ?? clock.now()
        return state.withLock { s in
            s.prune(now)
            if now < s.blockedUntil { return .wait(s.blockedUntil - now) }
            let occupied = s.answered.count + s.inFlight.count
            let headroom = priority.headroom(of: s.limit)
            if occupied + headroom >= s.limit {
                // The oldest answered request that must leave the window before one more fits
                // (above this priority's headroom); when only requests in flight fill it, look
                // again a slot's time later.
                let index = occupied + headroom - s.limit
                if index < s.answered.count {
                    return .wait(max(0.001, s.answered[index] + s.window + margin - now))
                }
                return .wait(s.window / Double(max(1, s.limit)))
            }
            let beat = s.window / Double(max(1, s.limit))
            if priority.isPaced {
                let allowedFrom = s.pacedDue - Double(Self.burst(of: s.limit)) * beat
                if now < allowedFrom { return .wait(allowedFrom - now) }
            }
            // The server says it is full though our own requests don't explain it (something
            // else on this IP): probe once per slot.
            if let remaining = s.serverRemaining, remaining - s.inFlight.count <= headroom, now < s.serverReportedAt + beat {
                return .wait(s.serverReportedAt + beat - now)
            }
            if priority.isPaced { s.pacedDue = max(s.pacedDue, now) + beat }
            let ticket = Ticket(id: s.nextTicket, at: now)
            s.nextTicket += 1
            s.inFlight[ticket.id] = now
            return .go(ticket)
        }
    }

    /// The request holding `ticket` was answered (or failed) now; the server said this in its
    /// headers.
    func completed(_ ticket: Ticket, limit: Int?, remaining: Int?, at now: TimeInterval? = nil) {
        let now = now ?? clock.now()
        state.withLock { s in
            guard s.inFlight.removeValue(forKey: ticket.id) != nil else { return }
            let at = s.answered.lastIndex { $0 <= now }.map { $0 + 1 } ?? 0
            s.answered.insert(now, at: at)
            if let limit, limit > 0 { s.limit = limit }
            if let remaining {
                s.serverRemaining = remaining
                s.serverReportedAt = now
            }
        }
    }

    /// Requests the paced work may send ahead of its pace: a few at Discogs' 60, an eighth of
    /// a larger window (a test's fake at 10,000 a minute is not slowed).
    static func burst(of limit: Int) -> Int { max(8, limit / 8) }

    func setLimit(_ limit: Int) {
        state.withLock { s in if limit > 0 { s.limit = limit } }
    }

    /// After a 429: nothing goes out for `seconds`.
    func block(for seconds: TimeInterval, at now: TimeInterval? = nil) {
        let now = now ?? clock.now()
        state.withLock { s in s.blockedUntil = max(s.blockedUntil, now + seconds) }
    }

    var limit: Int { state.withLock { $0.limit } }

    /// Answer times still inside the window, and requests in flight as of now (clock seconds):
    /// what the next process must count as used.
    var history: [TimeInterval] {
        let now = clock.now()
        return state.withLock { s in
            s.prune(now)
            return s.answered + Array(repeating: now, count: s.inFlight.count)
        }
    }

    /// Adopts answer times from an earlier run (clock seconds).
    func adopt(_ times: [TimeInterval]) {
        state.withLock { s in
            s.answered = (s.answered + times).sorted()
            if s.answered.count > s.limit * 4 { s.answered.removeFirst(s.answered.count - s.limit * 4) }
        }
    }

    /// Seconds until a request of `priority` could go (0: now), as far as the window says: what
    /// staff are told while they wait ("waiting for Discogs' rate window, 14 s").
    func wait(for priority: RequestPriority = .staff) -> TimeInterval {
        guard available(for: priority) == 0 else { return 0 }
        let now = clock.now()
        return state.withLock { s in
            s.prune(now)
            let over = s.answered.count + s.inFlight.count + priority.headroom(of: s.limit) - s.limit
            let freed = over >= 0 && over < s.answered.count ? s.answered[over] + s.window - now : s.window
            return max(0, freed, s.blockedUntil - now)
        }
    }

    /// Requests of `priority` that may go right now without waiting: what its headroom leaves
    /// of the window, and for paced work what its pace allows.
    func available(for priority: RequestPriority = .staff) -> Int {
        let now = clock.now()
        return state.withLock { s in
            s.prune(now)
            var room = s.limit - s.answered.count - s.inFlight.count - priority.headroom(of: s.limit)
            if priority.isPaced {
                let beat = s.window / Double(max(1, s.limit))
                room = min(room, Int(((now - max(s.pacedDue, now)) / beat).rounded(.down)) + Self.burst(of: s.limit) + 1)
            }
            return max(0, room)
        }
    }
}

/// What a request is for, most urgent last: the rate window is shared in this order. Staff
/// writes (and the reads that check and confirm them) come first; then the orders poll (a new
/// order takes its records off sale); then the inventory sync; release details, which can
/// always wait for the next window, last.
public enum RequestPriority: Int, Sendable, Comparable, CaseIterable {
    case details = 0, inventory, orders, staff

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// Slots of a `limit`-request window left free for the priorities above: at Discogs' 60,
    /// staff always find 4 free of the orders poll (an action costs 3: the read, the write, the
    /// read back; the first also checks the token), 6 of the sync (two actions in a row), 10
    /// of the details download.
    func headroom(of limit: Int) -> Int {
        let share: Double = switch self {
        case .staff: 0
        case .orders: 4.0 / 60
        case .inventory: 6.0 / 60
        case .details: 10.0 / 60
        }
        return min(max(0, limit - 1), Int((Double(limit) * share).rounded(.up)))
    }

    /// Long work that keeps to a steady pace rather than taking its share at once.
    var isPaced: Bool {
        switch self {
        case .staff, .orders: false
        case .inventory, .details: true
        }
    }
}
