import Foundation
import Synchronization
import WaxJSON
import WaxStore

/// A request as the routes see it: no sockets, no NIO.
struct APIRequest: Sendable {
    var method: String
    /// The request target as sent (`/api/search?q=love`).
    var target: String
    var headers: [(name: String, value: String)]

    var path: String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        return String(target[..<mark])
    }

    var rawQuery: String {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        return String(target[target.index(after: mark)...])
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// What a route answers: a status, headers and a body, either whole or streamed.
struct APIReply: Sendable {
    enum Body: Sendable {
        case bytes([UInt8])
        /// Produced a piece at a time as the client reads (see `ChunkSource`).
        case stream(any ChunkSource)
    }

    var status: Int
    var headers: [(name: String, value: String)]
    var body: Body

    static func json(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []) -> APIReply {
        json(bytes: value.utf8, status: status, headers: headers)
    }

    static func json(bytes: [UInt8], status: Int = 200, headers: [(name: String, value: String)] = []) -> APIReply {
        APIReply(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: .bytes(bytes + [UInt8(ascii: "\n")]))
    }

    static func empty(status: Int, headers: [(name: String, value: String)] = []) -> APIReply {
        APIReply(status: status, headers: headers, body: .bytes([]))
    }

    var bodySize: Int? {
        if case .bytes(let bytes) = body { return bytes.count }
        return nil
    }
}

/// A body produced a piece at a time, on the store queue, one call after another.
protocol ChunkSource: Sendable {
    /// The next bytes to send; nil when the body is complete.
    func nextChunk() throws -> [UInt8]?
}

/// A JSON array of listing objects, streamed: byte for byte what the buffered answer would be
/// (`ListingJSON.arrayUTF8` and a newline), with only one piece of it in memory at a time.
final class ListingArrayChunks: ChunkSource {
    /// Listings per piece: about 100 KB of JSON.
    static let listingsPerChunk = 64

    private let stream: ListingStream
    private let state = Mutex(State.opening)

    private enum State { case opening, inside, done }

    init(_ stream: ListingStream) {
        self.stream = stream
    }

    func nextChunk() throws -> [UInt8]? {
        let current = state.withLock { $0 }
        guard current != .done else { return nil }
        let listings = try stream.next(Self.listingsPerChunk)
        var out: [UInt8] = current == .opening ? [UInt8(ascii: "[")] : []
        out.reserveCapacity(listings.count * 2_048 + 2)
        ListingJSON.appendElements(listings, to: &out, first: current == .opening)
        if listings.count < Self.listingsPerChunk {
            out += [UInt8(ascii: "]"), UInt8(ascii: "\n")]
            state.withLock { $0 = .done }
        } else {
            state.withLock { $0 = .inside }
        }
        return out
    }
}

/// A request the API refuses or could not answer: a status and a one-line message, sent as
/// `{"error": "…"}` (the old app's shape).
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let message: String
    var headers: [String: String] = [:]

    init(_ status: Int, _ message: String, headers: [String: String] = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    static func badRequest(_ message: String) -> APIError { APIError(400, message) }
    static func notFound(_ message: String) -> APIError { APIError(404, message) }

    public var description: String { "\(status) \(message)" }

    var reply: APIReply {
        APIReply.json(.object(["error": .string(message)]), status: status, headers: headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
