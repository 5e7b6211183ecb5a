import Foundation
import Synchronization

/// SIGINT, SIGTERM and SIGHUP (a dropped ssh session) end any wax command cleanly: the
/// browser restores the terminal, a sync's open transaction rolls back, `wax serve` lets
/// requests finish. One mechanism for every command: the signals arrive on a Dispatch source
/// (never in a handler that could interrupt a write), are remembered, and whoever asked is told
/// once.
public final class SignalWatch: Sendable {
    public static let shared = SignalWatch()

    /// Dispatch sources are thread-safe objects (libdispatch guarantees it); the box only keeps
    /// them alive, is never changed after it is made, and so may cross threads.
    private struct Sources: @unchecked Sendable {
        let list: [any DispatchSourceSignal]
    }

    private let sources = Mutex<Sources?>(nil)
    private let number = Atomic<Int32>(0)
    private let handlers = Mutex<[@Sendable (Int32) -> Void]>([])

    private init() {}

    /// Starts watching (once; later calls do nothing). SIGPIPE is ignored: a closed socket or
    /// pipe is an error to handle, not a reason to die. A SIGHUP that whoever started us
    /// ignores stays ignored (`nohup wax sync --watch`) unless `hangupAlways` (the browser: a
    /// dropped ssh session must restore the terminal and stop).
    public func install(_ signals: [Int32] = [SIGINT, SIGTERM, SIGHUP], hangupAlways: Bool = false) {
        sources.withLock { sources in
            guard sources == nil else { return }
            // A parent may have started us with these blocked (Foundation's Process does): unblock.
            var set = sigset_t()
            sigemptyset(&set)
            for signal in signals { sigaddset(&set, signal) }
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            signal(SIGPIPE, SIG_IGN)
            let watched = signals.filter { signalNumber in
                guard signalNumber == SIGHUP, !hangupAlways else { return true }
                var current = sigaction()
                sigaction(signalNumber, nil, &current)
                // SIG_IGN is the handler address 1.
                return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) != 1
            }
            sources = Sources(list: watched.map { signalNumber in
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in received(signalNumber) }
                source.resume()
                return source
            })
        }
    }

    /// The first signal received, or 0.
    public var pending: Int32 { number.load(ordering: .relaxed) }

    /// Calls `handler` at the first signal (at once if one already came).
    public func onSignal(_ handler: @escaping @Sendable (Int32) -> Void) {
        install()
        let already = handlers.withLock { handlers -> Int32 in
            let now = pending
            if now == 0 { handlers.append(handler) }
            return now
        }
        if already != 0 { handler(already) }
    }

    private func received(_ signalNumber: Int32) {
        let (exchanged, _) = number.compareExchange(expected: 0, desired: signalNumber, ordering: .relaxed)
        guard exchanged else { return }
        for handler in handlers.withLock({ list in defer { list.removeAll() }; return list }) { handler(signalNumber) }
    }
}
