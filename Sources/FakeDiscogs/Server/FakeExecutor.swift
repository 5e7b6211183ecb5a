import Dispatch

/// Where the fake's server runs: every connection and every handler, off Swift's cooperative pool.
///
/// Tests run the fake inside the test process, where the cooperative pool has one thread per
/// core. Tests doing seconds of synchronous work there (applying a snapshot, importing a CSV),
/// or one fake rendering a large export, left the other fakes unable to answer a child's `wax
/// sync` for a minute on a busy 2-core machine, and such tests failed one run in three. Jobs go
/// to a private concurrent Dispatch queue instead, which takes another thread when its threads
/// are busy (as a private queue may), so each fake competes for the CPU as a process of its own
/// would. SE-0417: the server's child tasks and default actors follow the task's preference.
final class FakeExecutor: TaskExecutor {
    static let shared = FakeExecutor()

    private let queue = DispatchQueue(label: "fake-discogs", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        queue.async { [self] in unowned.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
