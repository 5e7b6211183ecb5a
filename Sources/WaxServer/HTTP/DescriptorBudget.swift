import Foundation

/// How many connections the process can hold with the file descriptors it may open. A server
/// that accepts until `accept` fails with EMFILE has nothing left for what it needs besides
/// sockets: SQLite's readers, the log, libdispatch's own descriptors (it aborted, SIGILL, when
/// it could not get one). So the soft limit is raised to the hard one at start, and the
/// connection cap is what remains after a reserve for all of that.
struct DescriptorBudget: Sendable, Equatable {
    /// Descriptors kept for everything but connections: SQLite's connections and their WAL
    /// files, the log and lock files, the event loops, libdispatch, standard streams, and the
    /// connections past the cap that are being answered 503 and closed.
    static let reserve = 96

    var soft: Int
    var hard: Int
    /// The soft limit before it was raised, when it was.
    var raisedFrom: Int?

    /// Raises the soft limit to the hard one (as far as the system allows) and says what it is.
    static func raiseSoftLimit() -> DescriptorBudget {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return DescriptorBudget(soft: 1_024, hard: 1_024) }
        let before = limits.rlim_cur
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            // Some systems refuse RLIM_INFINITY for files: stay within a number the kernel takes.
            raised.rlim_cur = min(limits.rlim_max, 1 << 20)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
        }
        let soft = Int(clamping: limits.rlim_cur)
        return DescriptorBudget(soft: soft, hard: Int(clamping: limits.rlim_max), raisedFrom: limits.rlim_cur > before ? Int(clamping: before) : nil)
    }

    /// The connections that fit: at most `wanted`, never so many that the reserve is used.
    func connectionCap(wanted: Int, healthReserve: Int) -> Int {
        max(1, min(wanted, soft - Self.reserve - healthReserve))
    }
}
