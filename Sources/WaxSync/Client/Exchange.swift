import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// One HTTP request and its whole answer, under a hard deadline and a size cap.
///
/// URLSession's own timeouts bound silence, not time: a server that sends one byte every five
/// seconds kept a sync alive for 25 minutes (and libcurl busy on a core). Here the deadline
/// covers everything (connecting, the head, the body); when it passes the transfer is
/// cancelled and the caller hears `Exchange.TimedOut` at once, whatever the task does after.
/// The answer is collected as it comes and cut off past `cap` bytes (a read-back answered with
/// 200 MB took `wax sell` to 1.4 GB), which the caller hears as `Exchange.TooLarge`.
enum Exchange {
    struct TimedOut: Error {
        let seconds: TimeInterval
    }

    struct TooLarge: Error {
        let cap: Int
    }

    /// A listing is a few KB and an inventory page well under 1 MB; an export's file is the
    /// largest answer wax asks for.
    static let defaultCap = 8 << 20

    static func run(_ session: URLSession, _ request: URLRequest, deadline seconds: TimeInterval, cap: Int = defaultCap) async throws -> (Data, HTTPURLResponse) {
        guard let router = session.delegate as? ExchangeRouter else { throw URLError(.unsupportedURL) }
        let pending = Pending(cap: cap)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard pending.attach(continuation) else { return }
                let task = session.dataTask(with: request)
                router.route(task, to: pending)
                pending.hold(task)
                task.resume()
                pending.finish(after: seconds)
            }
        } onCancel: {
            pending.finish(.failure(CancellationError()))
        }
    }

    /// One exchange's answer as it arrives, and its continuation, resumed exactly once by
    /// whichever comes first: the answer, the deadline, the cap or cancellation. Whoever
    /// finishes first also cancels the transfer.
    final class Pending: Sendable {
        private struct State {
            var continuation: CheckedContinuation<(Data, HTTPURLResponse), any Error>?
            var task: URLSessionDataTask?
            /// Set when the exchange ends; the error only for an end before the continuation
            /// was attached (cancelled before it began). The answer itself is not kept here:
            /// it went to the caller.
            var ended: Result<Void, any Error>?
            var response: HTTPURLResponse?
            var data = Data()
        }

        private let state = Mutex(State())
        let cap: Int

        init(cap: Int) { self.cap = cap }

        /// False when the exchange already ended (cancelled before it began): then the
        /// continuation has been resumed here.
        func attach(_ continuation: CheckedContinuation<(Data, HTTPURLResponse), any Error>) -> Bool {
            let early: Result<Void, any Error>? = state.withLock { s in
                if let ended = s.ended { return ended }
                s.continuation = continuation
                return nil
            }
            guard let early else { return true }
            switch early {
            case .failure(let error): continuation.resume(throwing: error)
            case .success: continuation.resume(throwing: CancellationError())   // no answer comes before the request
            }
            return false
        }

        /// Ends the exchange with `TimedOut` once `seconds` have passed, unless it ended before.
        /// The timer holds the exchange weakly: a sync's deadline spans all its requests (a
        /// thousand pages of a large shop), and each answer it kept alive until then held the
        /// whole shop's pages in memory at once (69 MB for 100,000 listings).
        func finish(after seconds: TimeInterval) {
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0.001, seconds)) { [weak self] in
                self?.finish(.failure(TimedOut(seconds: seconds)))
            }
        }

        /// The bytes this exchange still holds: the answer while it arrives, nothing once ended.
        var heldBytes: Int { state.withLock { $0.data.count } }

        func hold(_ task: URLSessionDataTask) {
            let cancelNow = state.withLock { s in
                guard s.ended == nil else { return true }
                s.task = task
                return false
            }
            if cancelNow { task.cancel() }
        }

        /// The head: a declared length over the cap ends it before any of the body comes.
        func received(_ response: URLResponse) -> Bool {
            let http = response as? HTTPURLResponse
            state.withLock { $0.response = http }
            if response.expectedContentLength > Int64(cap) {
                finish(.failure(TooLarge(cap: cap)))
                return false
            }
            return true
        }

        func received(_ data: Data) {
            let over = state.withLock { s -> Bool in
                guard s.ended == nil else { return false }
                s.data.append(data)
                return s.data.count > cap
            }
            if over { finish(.failure(TooLarge(cap: cap))) }
        }

        func completed(_ error: (any Error)?) {
            if let error {
                finish(.failure(error))
                return
            }
            let (response, data) = state.withLock { ($0.response, $0.data) }
            guard let response else {
                finish(.failure(URLError(.badServerResponse)))
                return
            }
            finish(.success((data, response)))
        }

        func finish(_ outcome: Result<(Data, HTTPURLResponse), any Error>) {
            let (continuation, task): (CheckedContinuation<(Data, HTTPURLResponse), any Error>?, URLSessionDataTask?) = state.withLock { s in
                guard s.ended == nil else { return (nil, nil) }
                s.ended = outcome.map { _ in () }
                s.data = Data()
                defer {
                    s.continuation = nil
                    s.task = nil
                }
                return (s.continuation, s.task)
            }
            guard let continuation else { return }
            if case .failure = outcome { task?.cancel() }
            continuation.resume(with: outcome)
        }
    }
}

/// The session's delegate: hands each task's answer to its exchange as it arrives, and decides
/// every redirect before URLSession follows it. Left to itself, FoundationNetworking follows a
/// redirect to any host with the request's headers, the token included (seen: a `302 Location:
/// http://elsewhere/` made wax send it there in plain text, once per retry).
///
/// Same origin: followed as is. Another origin: refused, the 3xx comes back to the client,
/// which names it (an API that redirects elsewhere had the sender retry silently, sending the
/// paths and the User-Agent to the other host). Only an export's file may live elsewhere (a
/// storage host): the download session follows such a redirect over https, without the
/// `Authorization` header.
final class ExchangeRouter: NSObject, URLSessionDataDelegate, Sendable {
    let origin: URL
    let followsOtherOrigins: Bool
    private let exchanges = Mutex<[Int: Exchange.Pending]>([:])

    init(origin: URL, followsOtherOrigins: Bool = false) {
        self.origin = origin
        self.followsOtherOrigins = followsOtherOrigins
    }

    func route(_ task: URLSessionTask, to pending: Exchange.Pending) {
        exchanges.withLock { $0[task.taskIdentifier] = pending }
    }

    private func pending(_ task: URLSessionTask) -> Exchange.Pending? {
        exchanges.withLock { $0[task.taskIdentifier] }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        completionHandler(pending(dataTask)?.received(response) == false ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        pending(dataTask)?.received(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let pending = exchanges.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        pending?.completed(error)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        guard let target = request.url, TokenSafety.isAllowed(target) else {
            completionHandler(nil)
            return
        }
        if TokenSafety.sameOrigin(target, origin) {
            completionHandler(request)
            return
        }
        guard followsOtherOrigins, target.scheme?.lowercased() == "https" else {
            completionHandler(nil)
            return
        }
        var stripped = request
        stripped.setValue(nil, forHTTPHeaderField: "Authorization")
        completionHandler(stripped)
    }
}
