import FlyingFox
import FlyingSocks
import Foundation
import Logging
import Synchronization
import WaxConfig
import WaxHTTP
import WaxStore
import WaxSync

/// `wax serve`: the old Flask app's JSON API over the mirror, for the shop's website and
/// scripts. Read-only except `POST /api/sync`, which starts a sync when a token allows it.
public final class APIServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port: UInt16 = 3000
        /// `WAX_API_TOKEN`: without it `POST /api/sync` is refused.
        public var apiToken: Secret?
        /// `WAX_CORS_ORIGIN`: the shop website's origin, allowed to call the API from browsers.
        public var corsOrigin: String?

        public init() {}
    }

    /// How `POST /api/sync` starts a sync, or why it cannot.
    public enum SyncAccess: Sendable {
        case runner(SyncRunner)
        case unavailable(String)
    }

    let inventory: InventoryService
    let configuration: Configuration
    let sync: SyncAccess
    let logger: Logger
    /// SQLite reads and JSON encoding run here, off Swift's cooperative pool (two threads on a
    /// two-core server): a blocked pool thread would stall every connection's socket I/O.
    let storeQueue = DispatchQueue(label: "wax.serve.store", qos: .userInitiated, attributes: .concurrent)
    private let server = Mutex<HTTPServer?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    /// Why `run` ended, when it ended with an error (a bind that failed).
    private let runFailure = Mutex<String?>(nil)

    public init(inventory: InventoryService, configuration: Configuration, sync: SyncAccess, logger: Logger = Logger(label: "wax.serve")) {
        self.inventory = inventory
        self.configuration = configuration
        self.sync = sync
        self.logger = logger
    }

    /// Binds and starts serving; returns the address it listens on (`port` 0 picks a free one).
    @discardableResult
    public func start() async throws -> URL {
        let address = try Self.address(host: configuration.host, port: configuration.port)
        let server = HTTPServer(address: address, timeout: 30, pool: NoDelaySocketPool(), logger: .disabled,
                                handler: APIRoutes(server: self))
        self.server.withLock { $0 = server }
        task.withLock {
            $0 = Task {
                do {
                    try await server.run()
                } catch {
                    self.runFailure.withLock { $0 = "\(error)" }
                    throw error
                }
            }
        }
        // Polled rather than `waitUntilListening`, which would wait out its timeout when the
        // bind fails (address in use, no permission).
        let deadline = Date().addingTimeInterval(10)
        while await server.listeningAddress == nil {
            if let reason = runFailure.withLock({ $0 }) {
                throw APIServerError("cannot listen on \(configuration.host) port \(configuration.port): \(reason)")
            }
            guard Date() < deadline else { throw APIServerError("the server did not start listening within 10 s") }
            try await Task.sleep(for: .milliseconds(5))
        }
        switch await server.listeningAddress {
        case .ip4(let host, let port)?: return URL(string: "http://\(host):\(port)")!
        case .ip6(let host, let port)?: return URL(string: "http://[\(host)]:\(port)")!
        default: throw APIServerError("the server did not bind to \(configuration.host)")
        }
    }

    /// Stops accepting, lets requests in flight finish (up to `timeout` seconds), and returns.
    public func stop(timeout: TimeInterval = 3) async {
        guard let server = server.withLock({ $0 }) else { return }
        await server.stop(timeout: timeout)
        task.withLock { $0?.cancel() }
    }

    /// The socket address for `--host`: an IPv4 or IPv6 address, or `localhost`.
    public static func address(host: String, port: UInt16) throws -> any SocketAddress {
        do {
            switch host {
            case "localhost": return try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
            case let host where host.contains(":"): return try sockaddr_in6.inet6(ip6: host.trimmingCharacters(in: ["[", "]"]), port: port)
            default: return try sockaddr_in.inet(ip4: host, port: port)
            }
        } catch {
            throw APIServerError("--host \(host) is not an IP address (use 127.0.0.1, ::1, 0.0.0.0 or an address of this machine)")
        }
    }

    /// The `ListingQuery` that `/api/search?<rawQuery>` runs (window included).
    public static func searchQuery(_ rawQuery: String) throws -> ListingQuery {
        try ListingRequest.search(APIParameters(rawQuery: rawQuery)).query
    }

    /// Runs `work` on the store queue and waits for it without holding a pool thread.
    func onStore<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            storeQueue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}

public struct APIServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
