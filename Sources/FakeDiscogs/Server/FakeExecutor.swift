import Dispatch
import Foundation
import Synchronization

/// Threads of the fake's own, on which its server (every connection, every handler) runs.
///
/// Tests run the fake inside the test process, where Swift's cooperative pool has one thread
/// per core; tests that do seconds of synchronous work on that pool (applying a snapshot,
/// importing a CSV) left the fake unable to answer a subprocess's `wax sync` for a minute on a
/// busy 2-core machine, and such a test failed one run in three. With a task executor of its
/// own (SE-0417: child tasks and default actors follow the preference) the fake competes for the
/// CPU as ordinary threads do, and answers.
final class FakeExecutor: TaskExecutor {
    static let shared = FakeExecutor(threads: 2)

    private let jobs = Mutex<[UnownedJob]>([])
    private let ready = DispatchSemaphore(value: 0)

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in run() }
            thread.name = "fake-discogs-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        jobs.withLock { $0.append(unowned) }
        ready.signal()
    }

    /// Runs jobs as they come, for the life of the process (the threads are shared by every
    /// fake server started in it, and idle ones only wait).
    private func run() {
        while true {
            ready.wait()
            guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
