import Foundation
import Synchronization

/// SIGINT and SIGTERM end a running command cleanly (a sync's open transaction rolls back)
/// instead of killing it mid-write. The handler runs once.
final class InterruptWatch: Sendable {
    /// Dispatch sources are thread-safe objects (libdispatch guarantees it); the box only keeps
    /// them alive, is never mutated after creation, and so may cross threads.
    private struct Sources: @unchecked Sendable {
        let list: [any DispatchSourceSignal]
    }

    private let sources = Mutex<[Sources]>([])
    private let fired = Mutex(false)

    func onSignal(_ handler: @escaping @Sendable () -> Void) {
        // A parent may have started us with these blocked (Foundation's Process does): unblock.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        let made: [any DispatchSourceSignal] = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if firstTime() { handler() }
            }
            source.resume()
            return source
        }
        let box = Sources(list: made)
        sources.withLock { $0.append(box) }
    }

    private func firstTime() -> Bool {
        fired.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
