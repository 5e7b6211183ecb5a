import Foundation
import Synchronization

/// A background loop that works only while this process holds a job's lock on the database.
/// The lock is tried each round and kept once taken, so one process (a browser, `wax sync
/// --watch`, `wax serve`) does the job while it runs, and another takes over when it exits.
/// What the outbox sender and the orders poller share.
final class HeldLoop: Sendable {
    private let database: URL
    private let job: DatabaseLock.Job
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let held = Mutex<DatabaseLock?>(nil)

    init(database: URL, job: DatabaseLock.Job) {
        self.database = database
        self.job = job
    }

    /// Whether this process holds the job's lock (through this loop).
    var isHeld: Bool { held.withLock { $0 != nil } }

    /// Starts the loop, once: `round` runs while the lock is held and says how long to pause
    /// (`idle` when it is not held); `pause` waits that long (a sleep, or until woken).
    func start(trigger: String, idle: TimeInterval, round: @escaping @Sendable () async -> TimeInterval,
               pause: @escaping @Sendable (TimeInterval) async -> Void) {
        task.withLock { task in
            guard task == nil else { return }
            task = Task.detached(priority: .utility) { [self] in
                while !Task.isCancelled {
                    if !isHeld, let taken = try? DatabaseLock.acquire(forDatabase: database, job: job, trigger: trigger) {
                        held.withLock { $0 = taken }
                    }
                    let wait = isHeld ? await round() : idle
                    guard !Task.isCancelled else { return }
                    await pause(wait)
                }
            }
        }
    }

    /// Ends the loop and lets the lock go.
    func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
        held.withLock { $0 = nil }
    }
}
