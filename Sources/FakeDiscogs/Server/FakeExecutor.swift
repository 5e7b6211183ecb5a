import Dispatch

/// Where one fake server runs: its connections and handlers, off Swift's cooperative pool.
///
/// Tests run fakes inside the test process, where the cooperative pool has one thread per core.
/// Tests doing seconds of synchronous work there (applying a snapshot, importing a CSV), or one
/// fake rendering a large export, left the other fakes unable to answer a child's `wax sync`
/// for over a minute on a busy 2-core machine, and such tests failed one run in three. Each
/// fake's jobs go to a serial Dispatch queue of its own instead: a private serial queue always
/// gets a thread (it is "overcommit"), so each fake competes for the CPU as a process of its own
/// would, and a busy fake holds up only itself. SE-0417: the server's child tasks and default
/// actors follow the task's executor preference.
final class FakeExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        queue.async { [self] in unowned.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
