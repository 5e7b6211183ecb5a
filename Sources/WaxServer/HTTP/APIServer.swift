import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import WaxConfig
import WaxStore
import WaxSync

/// `wax serve`: the old Flask app's JSON API over the mirror, for the shop's website and
/// scripts. Read-only except `POST /api/sync`, which starts a sync when a token allows it.
///
/// Built on SwiftNIO for traffic nobody controls: each connection's pipeline is
/// `RequestHeadGuard` (heads read in linear time under hard caps and a deadline), NIO's HTTP/1
/// codec, and `APIChannelHandler` (answers, back-pressure, idle timeouts); the listener backs
/// off and retries when the process runs out of file descriptors, and `ConnectionGate` caps
/// the connections served at once.
public final class APIServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port: UInt16 = 3000
        /// `WAX_API_TOKEN`: without it `POST /api/sync` is refused.
        public var apiToken: Secret?
        /// `WAX_CORS_ORIGIN`: the shop website's origin, allowed to call the API from browsers.
        public var corsOrigin: String?
        /// Connections served at once; more get a 503 and are closed.
        public var maxConnections = 256
        /// A connection with nothing to do (no request, or a client that stopped reading) is
        /// closed after this long.
        public var idleTimeout = TimeAmount.seconds(30)
        /// A new connection that sends nothing for this long is closed (thousands of silent
        /// connections held every slot).
        public var firstByteTimeout = TimeAmount.seconds(5)
        /// Connections served at once from one client address; nil: a quarter of the cap.
        public var perAddress: Int?
        /// Bytes of answers buffered for clients that are not reading, across all connections:
        /// past it, an answer is a 503 instead.
        public var outputCap = 64 << 20
        var headLimits = RequestHeadGuard.Limits()

        public init() {}

        /// The head deadline (seconds from a head's first byte to its last).
        public var headDeadline: TimeAmount {
            get { headLimits.deadline }
            set { headLimits.deadline = newValue }
        }
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
    /// SQLite reads and JSON encoding run on these threads, never on the event loops (one per
    /// core): a blocked loop would stall every connection's socket I/O. Threads of its own, not
    /// a Dispatch queue: Linux's pool runs as many of those at once as there are cores, so two
    /// blocked items anywhere in the process (a reader waiting for a lock) held up every answer
    /// for a minute.
    let storePool = NIOThreadPool(numberOfThreads: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount))
    private let gate: ConnectionGate
    private let output: OutputBudget
    private let group: MultiThreadedEventLoopGroup
    private let listener = Mutex<(any Channel)?>(nil)
    /// What the process may open, and whether its soft limit was raised.
    public let descriptors: DescriptorBudgetReport

    public init(inventory: InventoryService, configuration: Configuration, sync: SyncAccess, logger: Logger = WaxLogging.logger("wax.serve")) {
        self.inventory = inventory
        self.configuration = configuration
        self.sync = sync
        self.logger = logger
        let budget = DescriptorBudget.raiseSoftLimit()
        let reserve = 8
        let cap = budget.connectionCap(wanted: configuration.maxConnections, healthReserve: reserve)
        self.descriptors = DescriptorBudgetReport(descriptors: budget.soft, raisedFrom: budget.raisedFrom, connections: cap,
                                                  wanted: configuration.maxConnections)
        self.gate = ConnectionGate(limit: cap, perAddress: configuration.perAddress, healthReserve: reserve)
        self.output = OutputBudget(cap: configuration.outputCap)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))
    }

    /// Binds and starts serving; returns the address it listens on (`port` 0 picks a free one).
    @discardableResult
    public func start() async throws -> URL {
        let address = try Self.address(host: configuration.host, port: configuration.port)
        let routes = APIRoutes(inventory: inventory, configuration: configuration, sync: sync, logger: logger)
        storePool.start()
        let pool = storePool, gate = self.gate, configuration = self.configuration, logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptFailureLog(logger: logger))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            .childChannelInitializer { [output] channel in
                channel.eventLoop.makeCompletedFuture {
                    let admission = gate.admit(channel)
                    guard admission != .refused else {
                        let message = "too many connections (\(gate.limit), \(gate.perAddress) from one address): try again in a moment"
                        try channel.pipeline.syncOperations.addHandler(RefusedConnection(message: message))
                        return
                    }
                    var limits = configuration.headLimits
                    limits.firstByte = configuration.firstByteTimeout
                    // A connection admitted for /healthz alone gets a moment for its request.
                    if admission == .healthOnly { limits.deadline = min(limits.deadline, .seconds(2)) }
                    let headGuard = RequestHeadGuard(limits: limits)
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: configuration.idleTimeout, writeTimeout: configuration.idleTimeout))
                    try pipeline.addHandler(headGuard)
                    var decoderLimits = NIOHTTPDecoderLimitConfiguration()
                    // Behind the guard's own caps, as a second line.
                    decoderLimits.maxHeaderFieldSize = configuration.headLimits.head * 2
                    decoderLimits.maxHeaderListSize = configuration.headLimits.head * 2
                    decoderLimits.maxHeaderFieldCount = configuration.headLimits.lines * 2
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: false, withEncoderConfiguration: .init(),
                                                             withDecoderLimitConfiguration: decoderLimits)
                    try pipeline.addHandler(APIChannelHandler(routes: routes, pool: pool, headGuard: headGuard, output: output,
                                                              healthOnly: admission == .healthOnly))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(to: address).get()
        } catch {
            throw APIServerError("cannot listen on \(configuration.host) port \(configuration.port): \(Self.describe(error))")
        }
        listener.withLock { $0 = channel }
        guard let bound = channel.localAddress, let port = bound.port else {
            throw APIServerError("the server did not bind to \(configuration.host)")
        }
        let host = bound.ipAddress ?? configuration.host
        return URL(string: host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)")!
    }

    /// Stops accepting, lets requests in flight finish (up to `timeout` seconds), and returns.
    public func stop(timeout: TimeInterval = 3) async {
        if let channel = listener.withLock({ $0 }) {
            try? await channel.close()
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
        while gate.count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        gate.closeAll()
        try? await group.shutdownGracefully()
        try? await storePool.shutdownGracefully()
    }

    /// Connections open now (tests, diagnostics).
    public var openConnections: Int { gate.count }

    /// Bytes of answers written and not yet taken by their clients' sockets.
    var bufferedOutput: Int { output.inUse }

    /// Connections served at once, after the descriptor budget.
    var connectionCap: Int { gate.limit }

    /// The socket address for `--host`: an IPv4 or IPv6 address, or `localhost`.
    public static func address(host: String, port: UInt16) throws -> SocketAddress {
        let literal = host == "localhost" ? "127.0.0.1" : host.trimmingCharacters(in: ["[", "]"])
        do {
            return try SocketAddress(ipAddress: literal, port: Int(port))
        } catch {
            throw APIServerError("--host \(host) is not an IP address (use 127.0.0.1, ::1, 0.0.0.0 or an address of this machine)")
        }
    }

    /// The `ListingQuery` that `/api/search?<rawQuery>` runs (window included).
    public static func searchQuery(_ rawQuery: String) throws -> ListingQuery {
        try ListingRequest.search(APIParameters(rawQuery: rawQuery)).query
    }

    private static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        return "\(error)"
    }
}

/// What `wax serve` could get of the process's file descriptors, for its start-up line.
public struct DescriptorBudgetReport: Sendable, Equatable {
    public var descriptors: Int
    public var raisedFrom: Int?
    /// Connections served at once.
    public var connections: Int
    public var wanted: Int

    /// "raised the descriptor limit from 256 to 4096; serving at most 160 connections (256 asked)".
    public var note: String? {
        var parts: [String] = []
        if let raisedFrom { parts.append("raised the file-descriptor limit from \(raisedFrom) to \(descriptors)") }
        if connections < wanted {
            parts.append("serving at most \(connections) connections at once (\(wanted) asked; \(descriptors) file descriptors, some kept for the mirror)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

public struct APIServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Says in the log when accepting fails (out of file descriptors): NIO's own handler behind it
/// then waits a moment and accepts again, instead of the listener dying for good.
private final class AcceptFailureLog: ChannelInboundHandler {
    typealias InboundIn = NIOAny
    private let logger: Logger
    private var lastLogged: NIODeadline?

    init(logger: Logger) {
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let now = NIODeadline.now()
        if lastLogged.map({ now - $0 > .seconds(10) }) ?? true {
            lastLogged = now
            logger.warning("serve: cannot accept a connection (\(error)): backing off and trying again")
        }
        context.fireErrorCaught(error)
    }
}
