import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One HTTP request and its whole answer, under a hard deadline.
///
/// URLSession's own timeouts bound silence, not time: a server that sends one byte every five
/// seconds kept a sync alive for 25 minutes (and libcurl busy on a core). Here the deadline
/// covers everything (connecting, the head, the body); when it passes the transfer is
/// cancelled and the caller hears `Exchange.TimedOut` at once, whatever the task does after.
enum Exchange {
    struct TimedOut: Error {
        let seconds: TimeInterval
    }

    static func run(_ session: URLSession, _ request: URLRequest, deadline seconds: TimeInterval) async throws -> (Data, HTTPURLResponse) {
        let pending = Pending()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard pending.attach(continuation) else { return }
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        pending.finish(.failure(error))
                    } else if let http = response as? HTTPURLResponse {
                        pending.finish(.success((data ?? Data(), http)))
                    } else {
                        pending.finish(.failure(URLError(.badServerResponse)))
                    }
                }
                pending.hold(task)
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + max(0.001, seconds)) {
                    pending.finish(.failure(TimedOut(seconds: seconds)))
                }
            }
        } onCancel: {
            pending.finish(.failure(CancellationError()))
        }
    }

    /// The continuation and the task, resumed exactly once by whichever comes first: the
    /// answer, the deadline or cancellation. Whoever finishes first also cancels the transfer.
    private final class Pending: Sendable {
        private struct State {
            var continuation: CheckedContinuation<(Data, HTTPURLResponse), any Error>?
            var task: URLSessionDataTask?
            var outcome: Result<(Data, HTTPURLResponse), any Error>?
        }

        private let state = Mutex(State())

        /// False when the exchange already ended (cancelled before it began): then the
        /// continuation has been resumed here.
        func attach(_ continuation: CheckedContinuation<(Data, HTTPURLResponse), any Error>) -> Bool {
            let early: Result<(Data, HTTPURLResponse), any Error>? = state.withLock { s in
                if let outcome = s.outcome { return outcome }
                s.continuation = continuation
                return nil
            }
            guard let early else { return true }
            continuation.resume(with: early)
            return false
        }

        func hold(_ task: URLSessionDataTask) {
            let cancelNow = state.withLock { s in
                s.task = task
                return s.outcome != nil
            }
            if cancelNow { task.cancel() }
        }

        func finish(_ outcome: Result<(Data, HTTPURLResponse), any Error>) {
            let (continuation, task): (CheckedContinuation<(Data, HTTPURLResponse), any Error>?, URLSessionDataTask?) = state.withLock { s in
                guard s.outcome == nil else { return (nil, nil) }
                s.outcome = outcome
                defer { s.continuation = nil }
                return (s.continuation, s.task)
            }
            guard let continuation else { return }
            if case .failure = outcome { task?.cancel() }
            continuation.resume(with: outcome)
        }
    }
}
