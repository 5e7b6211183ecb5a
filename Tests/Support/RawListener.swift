import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening socket on 127.0.0.1 that a test accepts from itself, placed at a chosen
/// descriptor number when it is free: what a test needs to see who else waits on that number.
public final class RawListener: Sendable {
    public let descriptor: Int32
    public let port: Int

    /// Listens on an ephemeral port at descriptor `number` if it is free, else at the lowest
    /// free number above it.
    public init(at number: Int32) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket: \(String(cString: strerror(errno)))") }
        try RawConnection.attach(fd, "bind", "127.0.0.1", port: 0, bind)
        guard listen(fd, 16) == 0 else {
            close(fd)
            throw RawConnectionError("listen: \(String(cString: strerror(errno)))")
        }
        let moved = fd == number ? -1 : fcntl(fd, F_DUPFD, number)
        if moved >= 0 { close(fd) }
        descriptor = moved >= 0 ? moved : fd
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        guard let port = Self.localPort(descriptor) else {
            close(descriptor)
            throw RawConnectionError("getsockname: \(String(cString: strerror(errno)))")
        }
        self.port = port
    }

    deinit { close(descriptor) }

    /// The descriptor of this process's socket listening on 127.0.0.1:`port`, if any.
    public static func descriptor(listeningOn port: Int) -> Int32? {
        let numbers = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        return numbers.sorted().first { fd in
            var listening: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening == 1 && localPort(fd) == port
        }
    }

    private static func localPort(_ fd: Int32) -> Int? {
        var address = sockaddr_in()
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
        }
        guard result == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension RawListener {
    /// Whether a connection could be accepted within `timeout` seconds (it is closed at once),
    /// waiting on the calling thread. A loaded machine can queue a loopback connection well
    /// after its `connect` returned.
    public func accept(within timeout: TimeInterval) -> Bool {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&ready, 1, Int32(timeout * 1000)) == 1 else { return false }
        let connection = Glibc.accept(descriptor, nil, nil)
        if connection >= 0 { close(connection) }
        return connection >= 0
    }
}
