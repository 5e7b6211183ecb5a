import Foundation

/// A TCP connection that sends exactly the bytes it is given: for requests no HTTP client
/// would send (a megabyte-long request line, raw non-UTF-8 bytes, HTTP/0.9, half a head).
/// Blocking calls run on a thread of their own, never on the cooperative pool the servers
/// under test may share.
public final class RawConnection: @unchecked Sendable {
    // @unchecked: `fd` is set once in init and only read after; the socket itself is safe to
    // use from one thread at a time, which the tests do (one call awaited after another).
    public let fd: Int32

    /// `from`: the local address to connect from (127.0.0.2 is another client on loopback).
    public init(port: Int, host: String = "127.0.0.1", from source: String? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket: \(String(cString: strerror(errno)))") }
        if let source { try Self.attach(fd, "bind \(source)", source, port: 0, bind) }
        // A server whose accept queue is full drops the SYN, and a blocking connect retries for
        // up to two minutes: give up after a few seconds instead (Linux applies SO_SNDTIMEO to
        // connect).
        var limit = timeval(tv_sec: Self.connectTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        try Self.attach(fd, "connect", host, port: port, connect)
        self.fd = fd
    }

    /// `bind` or `connect` to an IPv4 address, or the socket closed and an error naming it.
    static func attach(_ fd: Int32, _ what: String, _ host: String, port: Int, _ call: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw RawConnectionError("\(what): \(reason)")
        }
    }

    static let connectTimeout = 5

    /// A connection made on a thread of its own: what a test uses against a server that may be
    /// full (a flood of connections), whose connects can block for seconds. The cooperative
    /// pool has two threads here; a connect blocking one of them stalled every test in the
    /// process (fakes, children's waits) for over a minute.
    public static func open(port: Int, host: String = "127.0.0.1", from source: String? = nil) async throws -> RawConnection {
        let result: Result<RawConnection, any Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { try RawConnection(port: port, host: host, from: source) })
            }
        }
        return try result.get()
    }

    /// Up to `count` connections opened one after another off the cooperative pool, until
    /// the server's queue has no room (a connect that times out ends the flood: the next ones
    /// would too), and never more than this process can spare: the fake Discogs servers other
    /// tests run here share its descriptors, and a FlyingFox server whose `accept` fails with
    /// EMFILE stops accepting for good.
    public static func flood(port: Int, count: Int) async -> [RawConnection] {
        let count = min(count, spareDescriptors())
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var opened: [RawConnection] = []
                for _ in 0..<count {
                    guard let connection = try? RawConnection(port: port) else { break }
                    opened.append(connection)
                }
                continuation.resume(returning: opened)
            }
        }
    }

    /// Descriptors this process can open beyond a reserve for everything else running in it.
    /// (`Tests/run` lifts the soft limit to the hard one, as `wax serve` does for itself.)
    public static func spareDescriptors(reserve: Int = 256) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        let soft = Int(clamping: limit.rlim_cur)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? soft / 2
        return max(0, soft - open - reserve)
    }

    deinit { close(fd) }

    /// Sends everything; false when the peer closed first (a refusal mid-send is a fine outcome).
    @discardableResult
    public func send(_ bytes: [UInt8]) async -> Bool {
        await onThread { [fd] in
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent < 0 && errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    @discardableResult
    public func send(_ text: String) async -> Bool { await send(Array(text.utf8)) }

    /// Reads until the peer closes or `timeout` seconds pass; returns what came.
    public func readAll(timeout: TimeInterval = 30) async -> [UInt8] {
        await onThread { [fd] in
            var timeval = timeval(tv_sec: Int(timeout), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeval, socklen_t(MemoryLayout<timeval>.size))
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                out += buffer[0..<count]
            }
            return out
        }
    }

    /// Reads one response (head and a Content-Length body), leaving the connection open.
    public func readResponse(timeout: TimeInterval = 30) async -> String {
        await onThread { [fd] in
            var timeval = timeval(tv_sec: Int(timeout), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeval, socklen_t(MemoryLayout<timeval>.size))
            var out: [UInt8] = []
            var byte: UInt8 = 0
            while !out.ends(with: Array("\r\n\r\n".utf8)) {
                guard recv(fd, &byte, 1, 0) == 1 else { return String(decoding: out, as: UTF8.self) }
                out.append(byte)
            }
            let head = String(decoding: out, as: UTF8.self)
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            var body = [UInt8](repeating: 0, count: length)
            var read = 0
            while read < length {
                let count = body[read...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                read += count
            }
            return head + String(decoding: body[0..<read], as: UTF8.self)
        }
    }

    private func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }
}

public struct RawConnectionError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

