import NIOCore
import WaxJSON

/// An answer written straight to the socket, below the HTTP encoder: for connections refused
/// before any request was parsed (too many connections, a head too long or too slow).
enum RawResponse {
    static func bytes(status: Int, message: String) -> [UInt8] {
        let body = JSONValue.object(["error": .string(message)]).utf8 + [UInt8(ascii: "\n")]
        let head = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    static func sendAndClose(status: Int, message: String, context: ChannelHandlerContext) {
        let buffer = context.channel.allocator.buffer(bytes: bytes(status: status, message: message))
        let channel = context.channel
        context.writeAndFlush(NIOAny(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
