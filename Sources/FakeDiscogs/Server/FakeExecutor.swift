import Dispatch

/// Where one fake server runs: its connections and handlers, off Swift's cooperative pool.
///
/// Tests run fakes inside the test process, where the cooperative pool has one thread per core.
/// Tests doing seconds of synchronous work there (applying a snapshot, importing a CSV), or one
/// fake rendering a large export, left the other fakes unable to answer a child's `wax sync`
/// for over a minute on a busy 2-core machine, and such tests failed one run in three. Each
/// fake's answers are made on a serial Dispatch queue of its own instead: a private serial queue
/// always gets a thread (it is "overcommit"), so each fake competes for the CPU as a process of
/// its own would, and a busy fake holds up only itself. SE-0417: a task's children and default
/// actors follow its executor preference, but a task made with `Task {}` does not, and FlyingFox
/// makes one for its connections: `FakeRoutes` asks for this executor around each answer.
final class FakeExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        queue.async { [self] in unowned.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
