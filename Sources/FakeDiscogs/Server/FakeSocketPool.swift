import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// The fake's socket pool: it waits for its sockets in `poll` on a thread of its own, and sets
/// TCP_NODELAY on each connection.
///
/// FlyingFox's own pool waits in `epoll_wait` on a Dispatch thread for as long as its server
/// listens, and libdispatch never runs more than 255 threads: a test process with 120 fakes
/// listening at once reached that ceiling on a loaded machine, and the fakes' own work queued
/// behind it until every client gave up. A plain thread per fake is outside that ceiling.
/// Each wait is registered anew and dropped once it fires (poll is level-triggered), so no
/// record of a closed descriptor outlives it to confuse the next socket given its number.
///
/// No delay: FlyingFox writes headers and body separately, and with Nagle's algorithm and
/// delayed ACKs each keep-alive response would wait ~40 ms.
public final class FakeSocketPool: AsyncSocketPool, Sendable {
    private struct Waiter {
        var fd: Int32
        var events: Int16
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        /// Waits cancelled before they were registered.
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var started = false
        var stopped = false
    }

    private let state = Mutex(State())
    /// Written to wake the thread when the waits change: [read end, write end], non-blocking.
    private let wake: [Int32]

    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        }
        wake = ends
    }

    deinit { for end in wake where end >= 0 { close(end) } }

    public func prepare() async throws {
        guard wake[0] >= 0 else { throw SocketError.failed(type: "pipe", errno: EMFILE, message: "the fake cannot make its wake-up pipe") }
        let start = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        if start { Thread.detachNewThread { [self] in loop() } }
    }

    /// Until the server stops (its task is cancelled); then the thread ends and every wait
    /// still open is cancelled.
    public func run() async throws {
        defer { shutDown() }
        while true { try await Task.sleep(for: .seconds(86_400)) }
    }

    public func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        var one: Int32 = 1
        _ = setsockopt(socket.file.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var mask: Int16 = 0
        if events.contains(.read) { mask |= Int16(POLLIN) }
        if events.contains(.write) { mask |= Int16(POLLOUT) }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let refusal = state.withLock { state -> (any Error)? in
                    if state.stopped { return SocketError.disconnected }
                    if state.cancelled.remove(id) != nil { return CancellationError() }
                    state.waiters[id] = Waiter(fd: socket.file.rawValue, events: mask, continuation: continuation)
                    return nil
                }
                if let refusal { continuation.resume(throwing: refusal) } else { poke() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return waiter
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func poke() {
        var byte: UInt8 = 1
        _ = write(wake[1], &byte, 1)
    }

    /// Ends every wait and refuses new ones, so that nothing waits on a descriptor number
    /// after its socket is closed: the number is given to the next socket opened in the process.
    public func shutDown() {
        let waiters = state.withLock { state -> [Waiter] in
            state.stopped = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.continuation.resume(throwing: CancellationError()) }
        poke()
    }

    /// The thread: poll the wake pipe and every registered wait; resume those that fired.
    private func loop() {
        var drain = [UInt8](repeating: 0, count: 256)
        while true {
            guard let (ids, waiting) = state.withLock({ state -> ([UInt64], [pollfd])? in
                guard !state.stopped else { return nil }
                let ids = Array(state.waiters.keys)
                return (ids, [pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
                    + ids.map { pollfd(fd: state.waiters[$0]!.fd, events: state.waiters[$0]!.events, revents: 0) })
            }) else { return }
            var fds = waiting
            // A descriptor closed while poll waits on it does not wake it: look again every
            // 50 ms, so that a stopped server's listening socket is seen as closed (POLLNVAL).
            let ready = Glibc.poll(&fds, nfds_t(fds.count), 50)
            if ready < 0 && errno != EINTR { return }
            if fds[0].revents != 0 { while read(wake[0], &drain, drain.count) > 0 {} }
            // Any event (readable, writable, hung up, closed) resumes the wait: FlyingFox then
            // tries the call again and meets the outcome itself.
            let fired = zip(ids, fds.dropFirst()).filter { $0.1.revents != 0 }.map(\.0)
            guard !fired.isEmpty else { continue }
            let resumed = state.withLock { state in fired.compactMap { state.waiters.removeValue(forKey: $0) } }
            for waiter in resumed { waiter.continuation.resume() }
        }
    }
}
