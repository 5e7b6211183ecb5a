import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import WaxConfig
import WaxJSON
import WaxStore

/// The Discogs API over URLSession: token auth, a User-Agent, timeouts, pacing under the rate
/// limit, bounded retries, and decoding that tolerates what Discogs really sends.
public final class DiscogsClient: Sendable {
    public struct Configuration: Sendable {
        public var baseURL: URL
        public var token: Secret?
        public var userAgent: String
        /// Longest silence while connecting or waiting for more data.
        public var requestTimeout: TimeInterval = 30
        /// Longest time for one attempt, all of it (connect, head, body): a server that drips
        /// a byte now and then is given up on too.
        public var attemptDeadline: TimeInterval = 60
        public var retry = RetryPolicy()
        /// Until the first response says otherwise.
        public var assumedRateLimit = 60
        public var rateWindow: TimeInterval = 60
        /// What pacing and back-off count in (tests pass a `ManualPacingClock`).
        public var clock: any PacingClock = SystemPacingClock()

        public init(baseURL: URL, token: Secret?, userAgent: String) {
            self.baseURL = baseURL
            self.token = token
            self.userAgent = userAgent
        }
    }

    /// What a caller may want to show while the client waits.
    public enum Event: Sendable, Equatable {
        case waitingForRateLimit(seconds: Double)
        case retrying(attempt: Int, of: Int, reason: String, delay: Double)
    }

    public struct Counters: Sendable, Equatable {
        public var requests = 0
        public var rateLimited = 0
        public var retries = 0
        public var waitedSeconds = 0.0
    }

    /// The latest moment a request may still be answered, for the work under way (a sync's
    /// phase): each attempt's deadline is cut to it, and no request starts after it.
    @TaskLocal public static var deadline: WorkDeadline?

    /// What the work under way is, for its share of the rate window (the sender: `.staff`).
    @TaskLocal public static var priority: RequestPriority = .inventory

    /// At most this many tries per request for the work under way: the outbox retries on its
    /// own schedule, and an action must not sit `sending` for two minutes of retries while
    /// Discogs is down.
    @TaskLocal public static var attemptLimit: Int?

    public let configuration: Configuration
    private let session: URLSession
    /// For an export's file alone, which may live on a storage host (its redirect is followed
    /// over https, without the token) and be large.
    private let downloadSession: URLSession
    let limiter: RateLimiter
    private let tally = Mutex(Counters())
    private let eventHandler = Mutex<(@Sendable (Event) -> Void)?>(nil)

    public init(configuration: Configuration) throws {
        guard TokenSafety.isAllowed(configuration.baseURL) else {
            throw DiscogsError.insecureBaseURL(Self.label(configuration.baseURL, full: true))
        }
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout
        // A backstop only: `Exchange` enforces the attempt's deadline itself, a little earlier.
        sessionConfiguration.timeoutIntervalForResource = configuration.attemptDeadline * 2
        sessionConfiguration.httpMaximumConnectionsPerHost = 4
        sessionConfiguration.urlCache = nil
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.httpShouldSetCookies = false
        session = URLSession(configuration: sessionConfiguration, delegate: ExchangeRouter(origin: configuration.baseURL), delegateQueue: nil)
        downloadSession = URLSession(configuration: sessionConfiguration,
                                     delegate: ExchangeRouter(origin: configuration.baseURL, followsOtherOrigins: true), delegateQueue: nil)
        limiter = RateLimiter(limit: configuration.assumedRateLimit, window: configuration.rateWindow, clock: configuration.clock)
    }

    deinit {
        session.invalidateAndCancel()
        downloadSession.invalidateAndCancel()
    }

    /// https, or plain http to this machine only (the fake Discogs): a token must never cross a
    /// network in the clear.
    static func validate(_ url: URL) throws {
        guard TokenSafety.isAllowed(url) else { throw DiscogsError.insecureBaseURL(label(url, full: true)) }
    }

    public var counters: Counters { tally.withLock { $0 } }

    /// Recent request times, to hand to the next run (see `RateHistory`).
    public var rateHistory: [Date] {
        let wallNow = configuration.clock.wallNow(), monotonicNow = configuration.clock.now()
        return limiter.history.map { wallNow.addingTimeInterval($0 - monotonicNow) }
    }

    /// Adopts an earlier run's request times, and the limit they were made under.
    public func adoptRateHistory(_ dates: [Date], limit: Int?) {
        let wallNow = configuration.clock.wallNow(), monotonicNow = configuration.clock.now()
        if let limit { limiter.setLimit(limit) }
        limiter.adopt(dates.map { monotonicNow - wallNow.timeIntervalSince($0) }.filter { $0 > monotonicNow - configuration.rateWindow })
    }

    /// Who hears about waits and retries (the running sync; one at a time).
    public func setEventHandler(_ handler: (@Sendable (Event) -> Void)?) {
        eventHandler.withLock { $0 = handler }
    }

    private func onEvent(_ event: Event) {
        eventHandler.withLock { $0 }?(event)
    }

    /// Requests of `priority` that may go right now without waiting for the rate window.
    public func availableRequests(for priority: RequestPriority = .staff) -> Int { limiter.available(for: priority) }

    /// Seconds until a request of `priority` could go (0: now).
    public func rateWait(for priority: RequestPriority = .staff) -> TimeInterval { limiter.wait(for: priority) }

    /// Requests per window, as the server last said.
    public var rateLimit: Int { limiter.limit }

    // MARK: Endpoints

    public func identity() async throws -> DiscogsIdentity {
        try await get(url("/oauth/identity")) { data in
            let json = try JSONReader.parse(data)
            guard let id = try json.int64("id"), let username = try json.string("username") else {
                throw JSONReader.Problem(description: "an identity without id or username")
            }
            return DiscogsIdentity(id: id, username: username)
        }
    }

    /// One page of a seller's inventory, oldest listed first (so new listings land on the last
    /// page and don't shift the pages already read).
    func inventoryPage(seller: String, status: ListingStatus, page: Int, perPage: Int = 100) async throws -> DiscogsDecoding.Page {
        let target = url("/users/\(Self.pathComponent(seller))/inventory", query: [
            "status": status.rawValue, "sort": "listed", "sort_order": "asc", "per_page": String(perPage), "page": String(page),
        ])
        do {
            return try await get(target) { try DiscogsDecoding.page($0) }
        } catch DiscogsError.notFound(_, let message) where message.lowercased().contains("user") {
            throw DiscogsError.sellerNotFound(seller)
        }
    }

    public enum ListingLookup: Sendable, Equatable {
        case present(ListingRecord)
        case gone
    }

    /// One listing: to confirm that one missing from the inventory is really gone.
    public func listing(id: Int64) async throws -> ListingLookup {
        do {
            return .present(try await get(url("/marketplace/listings/\(id)")) { try DiscogsDecoding.listing($0) })
        } catch DiscogsError.notFound {
            return .gone
        }
    }

    /// Replaces a listing (`POST /marketplace/listings/{id}`, answered 204). Sent once, never
    /// retried here: whether a write that got no answer landed is for the caller to find out by
    /// reading the listing back (the outbox does).
    public func editListing(id: Int64, fields: [String: JSONValue]) async throws {
        var request = self.request(url("/marketplace/listings/\(id)"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(JSONValue.object(fields).utf8)
        _ = try await send(request, attempts: 1) { _ in () }
    }

    /// Deletes a listing for good (`DELETE /marketplace/listings/{id}`, answered 204). Sent once.
    public func deleteListing(id: Int64) async throws {
        var request = self.request(url("/marketplace/listings/\(id)"))
        request.httpMethod = "DELETE"
        _ = try await send(request, attempts: 1) { _ in () }
    }

    /// A release's details; nil when Discogs has no such release.
    public func release(id: Int64) async throws -> ReleaseRecord? {
        do {
            return try await get(url("/releases/\(id)")) { try DiscogsDecoding.release($0, fetchedAt: Date()) }
        } catch DiscogsError.notFound {
            return nil
        }
    }

    /// Starts an inventory export (owner only) and returns its status URL.
    func startExport() async throws -> URL {
        var request = self.request(url("/inventory/export"))
        request.httpMethod = "POST"
        let (_, headers) = try await send(request) { _ in () }
        guard let location = headers["location"], let url = URL(string: location), TokenSafety.sameOrigin(url, configuration.baseURL) else {
            throw DiscogsError.badResponse(url: "/inventory/export", status: 200, detail: "no Location header naming the export")
        }
        return url
    }

    struct ExportStatus {
        var finished: Bool
        var downloadURL: URL?
    }

    func exportStatus(_ url: URL) async throws -> ExportStatus {
        try await get(url) { data in
            let json = try JSONReader.parse(data)
            let status = try json.string("status") ?? ""
            return ExportStatus(finished: status == "success", downloadURL: try json.string("download_url").flatMap(URL.init(string:)))
        }
    }

    /// The export's file. A link to another host is fetched without the token (and only over
    /// https); see `TokenSafety`.
    func download(_ url: URL) async throws -> Data {
        try await send(request(url), download: true) { $0 }.value
    }

    /// An export's file of a shop of a million listings is a few hundred MB.
    static let downloadCap = 1 << 30

    // MARK: Plumbing

    func url(_ path: String, query: [String: String] = [:]) -> URL {
        var components = URLComponents(url: configuration.baseURL, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = components.percentEncodedPath.trimmingSuffix("/") + path
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        return components.url!
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    func request(_ url: URL) -> URLRequest {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: configuration.requestTimeout)
        request.setValue(configuration.userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("application/vnd.discogs.v2.discogs+json, application/json", forHTTPHeaderField: "Accept")
        // The token goes to the API's own origin only.
        if let token = configuration.token, TokenSafety.sameOrigin(url, configuration.baseURL) {
            request.setValue("Discogs token=\(token.revealed)", forHTTPHeaderField: "Authorization")
        }
        return request
    }

    func get<T>(_ url: URL, decode: (Data) throws -> T) async throws -> T {
        try await send(request(url), decode: decode).value
    }

    /// Sends with pacing and bounded retries: 429s back off (honouring Retry-After), 5xx, network
    /// errors, timeouts and unreadable bodies back off exponentially, everything else fails at
    /// once. Retries stop after `retry.attempts`, or once `retry.budget` seconds have gone on the
    /// request, or at the task's `deadline`.
    func send<T>(_ request: URLRequest, attempts: Int? = nil, download: Bool = false,
                 decode: (Data) throws -> T) async throws -> (value: T, headers: [String: String]) {
        let label = request.url.map { Self.label($0) } ?? "?"
        if let url = request.url, !TokenSafety.isAllowed(url) {
            throw DiscogsError.insecureURL(Self.label(url, full: true))
        }
        var policy = configuration.retry
        if let attempts { policy.attempts = attempts }
        if let limit = Self.attemptLimit { policy.attempts = min(policy.attempts, limit) }
        let started = ContinuousClock.now
        var lastError = DiscogsError.network(url: label, detail: "no attempt made", attempts: 0)
        for attempt in 1...max(1, policy.attempts) {
            let ticket = try await pace()
            let remaining = Self.deadline?.remaining
            if let remaining, remaining <= 0 {
                limiter.completed(ticket, limit: nil, remaining: nil)
                throw DiscogsError.outOfTime(url: label, bound: Self.deadline?.bound ?? 0)
            }
            let allowed = min(configuration.attemptDeadline, remaining ?? .infinity)
            let data: Data
            let response: HTTPURLResponse
            do {
                (data, response) = try await Exchange.run(download ? downloadSession : session, request, deadline: allowed,
                                                          cap: download ? Self.downloadCap : Exchange.defaultCap)
            } catch is CancellationError {
                limiter.completed(ticket, limit: nil, remaining: nil)
                throw DiscogsError.cancelled
            } catch let error as URLError where error.code == .cancelled {
                limiter.completed(ticket, limit: nil, remaining: nil)
                throw DiscogsError.cancelled
            } catch let error as Exchange.TooLarge {
                // Something in the way (a proxy, a broken server) sent far more than any answer
                // of the API holds: a temporary failure, named, never read into memory whole.
                limiter.completed(ticket, limit: nil, remaining: nil)
                lastError = .answerTooLarge(url: label, cap: error.cap, attempts: attempt)
                try await backOff(attempt, of: policy.attempts, since: started, reason: "an answer over \(error.cap >> 20) MB", rateLimited: false,
                                  retryAfter: nil, lastError: lastError)
                continue
            } catch let error where Self.isTimeout(error) {
                // Ours (the whole attempt took too long) or URLSession's (silence): either way the
                // attempt had `allowed` seconds, which is what the message says.
                limiter.completed(ticket, limit: nil, remaining: nil)
                let seconds = allowed
                lastError = .timedOut(url: label, seconds: seconds, attempts: attempt)
                try await backOff(attempt, of: policy.attempts, since: started, reason: "no complete answer in \(Int(seconds.rounded())) s",
                                  rateLimited: false, retryAfter: nil, lastError: lastError)
                continue
            } catch {
                limiter.completed(ticket, limit: nil, remaining: nil)
                lastError = .network(url: label, detail: Self.describe(error), attempts: attempt)
                try await backOff(attempt, of: policy.attempts, since: started, reason: "network error", rateLimited: false, retryAfter: nil, lastError: lastError)
                continue
            }
            let headers = Self.headers(response)
            limiter.completed(ticket, limit: headers["x-discogs-ratelimit"].flatMap(Int.init),
                              remaining: headers["x-discogs-ratelimit-remaining"].flatMap(Int.init))
            tally.withLock { $0.requests += 1 }
            let status = response.statusCode
            switch status {
            case 200..<300:
                do {
                    return (try decode(data), headers)
                } catch {
                    lastError = .badResponse(url: label, status: status, detail: "\(error)")
                    try await backOff(attempt, of: policy.attempts, since: started, reason: "unreadable response", rateLimited: false, retryAfter: nil, lastError: lastError)
                }
            case 300..<400:
                // Only redirects the guard refused come back here (another host over plain http,
                // another scheme): never followed, never retried.
                let target = headers["location"] ?? "(no Location)"
                throw DiscogsError.refusedRedirect(url: label, location: Self.label(target))
            case 401:
                throw DiscogsError.tokenRejected
            case 403:
                let message = Self.message(data)
                if message.contains("Pagination above") {
                    throw DiscogsError.pageCap(page: request.url.flatMap(Self.pageNumber) ?? 0)
                }
                throw DiscogsError.forbidden(url: label, message: message)
            case 404:
                throw DiscogsError.notFound(url: label, message: Self.message(data))
            case 422:
                throw DiscogsError.invalidRequest(url: label, message: Self.message(data))
            case 429:
                tally.withLock { $0.rateLimited += 1 }
                lastError = .rateLimited(url: label, attempts: attempt)
                let retryAfter = headers["retry-after"].flatMap(Double.init)
                try await backOff(attempt, of: policy.attempts, since: started, reason: "rate limited (429)", rateLimited: true,
                                  retryAfter: retryAfter, lastError: lastError)
            case 500..<600:
                lastError = .server(url: label, status: status, attempts: attempt)
                try await backOff(attempt, of: policy.attempts, since: started, reason: "HTTP \(status)", rateLimited: false, retryAfter: nil, lastError: lastError)
            default:
                throw DiscogsError.badResponse(url: label, status: status, detail: Self.message(data))
            }
        }
        throw lastError
    }

    private static func isTimeout(_ error: any Error) -> Bool {
        error is Exchange.TimedOut || (error as? URLError)?.code == .timedOut
    }

    /// The `page` parameter of a request's query.
    static func pageNumber(_ url: URL) -> Int? {
        URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "page" }?.value.flatMap(Int.init)
    }

    /// Waits for room in the rate window; returns the slot.
    private func pace() async throws -> RateLimiter.Ticket {
        var reported = false
        let priority = Self.priority
        while true {
            switch limiter.reserve(priority: priority) {
            case .go(let ticket):
                return ticket
            case .wait(let delay):
                if !reported, delay >= 0.05 {
                    onEvent(.waitingForRateLimit(seconds: delay))
                    reported = true
                }
                tally.withLock { $0.waitedSeconds += delay }
                try await sleep(delay)
            }
        }
    }

    /// Waits before the next attempt, or throws `lastError` when no attempt is left, the
    /// request's time budget is spent, or the deadline would pass during the wait.
    private func backOff(_ attempt: Int, of attempts: Int, since started: ContinuousClock.Instant, reason: String,
                         rateLimited: Bool, retryAfter: TimeInterval?, lastError: DiscogsError) async throws {
        let delay = configuration.retry.delay(afterAttempt: attempt, rateLimited: rateLimited, retryAfter: retryAfter)
        // A 429 holds back every request sharing the limiter (a sync, the outbox), retried or not.
        if rateLimited { limiter.block(for: delay) }
        guard attempt < attempts else { throw lastError }
        let spent = Self.seconds(started.duration(to: .now))
        if spent + delay > configuration.retry.budget { throw lastError }
        if let remaining = Self.deadline?.remaining, remaining < delay { throw lastError }
        tally.withLock { $0.retries += 1 }
        onEvent(.retrying(attempt: attempt + 1, of: attempts, reason: reason, delay: delay))
        if !rateLimited { try await sleep(delay) }
    }

    private func sleep(_ seconds: TimeInterval) async throws {
        do {
            try await configuration.clock.sleep(for: seconds)
        } catch {
            throw DiscogsError.cancelled
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func headers(_ response: HTTPURLResponse) -> [String: String] {
        var headers: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return headers
    }

    /// Discogs' `{"message": …}`, or the start of whatever else came.
    private static func message(_ data: Data) -> String {
        if let json = try? JSONReader.parse(data), let message = try? json.string("message") { return message }
        let text = String(decoding: data.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "(empty body)" : text
    }

    private static func describe(_ error: any Error) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut: return "timed out"
            case .cannotConnectToHost: return "connection refused"
            case .cannotFindHost, .dnsLookupFailed: return "unknown host"
            case .notConnectedToInternet: return "no network"
            case .networkConnectionLost: return "connection lost"
            default: return "network error \(urlError.code.rawValue)"
            }
        }
        return "\(error)"
    }

    /// The URL as shown in messages: path and query, or (`full`) the whole URL, never any
    /// `user:password@` part.
    static func label(_ url: URL, full: Bool = false) -> String {
        var text = url.path
        if let query = url.query, !query.isEmpty { text += "?" + query }
        return full ? URLText.withoutCredentials(url.absoluteString) : text
    }

    static func label(_ text: String) -> String {
        URL(string: text).map { label($0, full: true) } ?? text
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
