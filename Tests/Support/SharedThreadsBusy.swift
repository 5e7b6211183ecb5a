import Foundation

/// Keeps every thread of Swift's shared (cooperative) pool busy from `start` to `end`: what a
/// loaded machine does to tasks waiting to run there. Call both from a thread of your own.
public final class SharedThreadsBusy: Sendable {
    private let gate = DispatchSemaphore(value: 0)
    private let entered = DispatchSemaphore(value: 0)
    private static let blockers = 64

    public init() {}

    /// Returns once the pool's threads are all taken, or false if that took over a minute (the
    /// pool is wider than the cores, or something held a thread all that time).
    public func start() -> Bool {
        for _ in 0..<Self.blockers {
            Task.detached { [gate, entered] in
                entered.signal()
                gate.wait()
                gate.signal()
            }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let deadline = DispatchTime.now() + 60
        return (0..<cores).allSatisfy { _ in entered.wait(timeout: deadline) == .success }
    }

    /// Lets the pool go (more than once is harmless).
    public func end() { gate.signal() }
}

/// A task executor on a serial queue of its own: work that must run while the shared pool is busy.
public final class QueueExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "wax-tests.queue-executor")
    public init() {}
    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        queue.async { [self] in unowned.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
