import FlyingFox
import FlyingSocks
import Foundation

/// Sets TCP_NODELAY on every connection: FlyingFox writes headers and body separately, and with
/// Nagle's algorithm and delayed ACKs each keep-alive response would wait ~40 ms.
public struct NoDelaySocketPool: AsyncSocketPool {
    private let inner: any AsyncSocketPool = HTTPServer.defaultPool()

    public init() {}

    public func prepare() async throws { try await inner.prepare() }
    public func run() async throws { try await inner.run() }

    public func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        var one: Int32 = 1
        _ = setsockopt(socket.file.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        try await inner.suspendSocket(socket, untilReadyFor: events)
    }
}
