import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One connection's requests: each is answered by `APIRoutes` on the store queue, then
/// written back here on the connection's event loop. A streamed answer is produced a piece at
/// a time, only while the socket takes it (back-pressure), so a slow client costs one piece of
/// memory, not the whole answer. Idle connections are closed, and so are clients that stop
/// reading mid-answer.
final class APIChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// A request body is never needed (`POST /api/sync` takes none): more than this is refused.
    static let maxBody = 64 * 1_024

    private let routes: APIRoutes
    private let queue: DispatchQueue
    private let headGuard: RequestHeadGuard
    private var logger: Logger { routes.logger }

    private var request: HTTPRequestHead?
    private var bodyBytes = 0
    private var started = NIODeadline.now()
    /// A request is being answered (from its head to the last byte of the answer).
    private var busy = false
    private var keepAlive = true
    /// The answer being streamed, if one is.
    private var stream: Stream?

    private struct Stream {
        let source: any ChunkSource
        let head: HTTPRequestHead
        let status: Int
        var waitingForWritability = false
        var sent = 0
    }

    init(routes: APIRoutes, queue: DispatchQueue, headGuard: RequestHeadGuard) {
        self.routes = routes
        self.queue = queue
        self.headGuard = headGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
            bodyBytes = 0
            busy = true
            started = .now()
        case .body(let body):
            bodyBytes += body.readableBytes
            if bodyBytes > Self.maxBody, request != nil {
                request = nil
                failAndClose(context: context, status: 413, message: "request bodies over \(Self.maxBody / 1_024) KiB are refused")
            }
        case .end:
            headGuard.requestEnded()
            guard let head = request else { return }
            answer(head, context: context)
        }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let apiRequest = APIRequest(method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) })
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let routes = self.routes
        queue.async {
            let reply = routes.respond(to: apiRequest)
            loop.execute {
                let (handler, context) = bound.value
                handler.send(reply, for: head, context: context)
            }
        }
    }

    private func send(_ reply: APIReply, for head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        keepAlive = head.isKeepAlive
        var headers = HTTPHeaders(reply.headers.map { ($0.name, $0.value) })
        let omitBody = head.method == .HEAD
        switch reply.body {
        case .bytes(let bytes):
            headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
        case .stream:
            // HTTP/1.1 gets chunks; an HTTP/1.0 client learns the end when the connection closes.
            if head.version.major == 1, head.version.minor == 0 { keepAlive = false }
        }
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers))),
                      promise: nil)
        switch reply.body {
        case .bytes(let bytes):
            if !omitBody, !bytes.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            }
            finish(head, status: reply.status, bytes: bytes.count, context: context)
        case .stream(let source):
            guard !omitBody else {
                finish(head, status: reply.status, bytes: 0, context: context)
                return
            }
            stream = Stream(source: source, head: head, status: reply.status)
            context.flush()
            pump(context: context)
        }
    }

    /// Asks the source for its next piece while the socket can take more.
    private func pump(context: ChannelHandlerContext) {
        guard let current = stream else { return }
        guard context.channel.isWritable else {
            stream?.waitingForWritability = true
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let source = current.source
        queue.async {
            let piece = Result { try source.nextChunk() }
            loop.execute {
                let (handler, context) = bound.value
                handler.deliver(piece, context: context)
            }
        }
    }

    private func deliver(_ piece: Result<[UInt8]?, any Error>, context: ChannelHandlerContext) {
        guard context.channel.isActive, let current = stream else { return }
        let head = current.head
        switch piece {
        case .success(let bytes?):
            stream?.sent += bytes.count
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            pump(context: context)
        case .success(nil):
            stream = nil
            finish(head, status: current.status, bytes: current.sent, context: context)
        case .failure(let error):
            // The head is sent: the status can't change any more. Cut the answer short, so the
            // client sees an incomplete body rather than a wrong one.
            logger.error("\(head.method.rawValue) \(head.uri.prefix(300)): answer cut short: \(error)")
            stream = nil
            busy = false
            context.close(promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, stream?.waitingForWritability == true {
            stream?.waitingForWritability = false
            pump(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    private func finish(_ head: HTTPRequestHead, status: Int, bytes: Int, context: ChannelHandlerContext) {
        let close = !keepAlive, channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if close { channel.close(promise: nil) }
        }
        let milliseconds = Double(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        logger.info("\(head.method.rawValue) \(head.uri.prefix(300)) \(status) \(String(format: "%.1f", milliseconds)) ms \(bytes) B")
        busy = false
        request = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent {
            switch idle {
            case .read where !busy:
                // A keep-alive connection nobody uses: give its descriptor back.
                context.close(promise: nil)
            case .write where stream?.waitingForWritability == true:
                // The client stopped reading in the middle of an answer.
                logger.notice("\(request?.uri.prefix(300) ?? "?"): the client stopped reading; connection closed")
                context.close(promise: nil)
            default:
                break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError, !busy {
            // A request the parser could not read (garbage, HTTP/0.9, a bad header): say so,
            // then close, as the connection's framing is lost.
            let status = parserError == .headerOverflow ? 431 : 400
            failAndClose(context: context, status: status, message: "malformed HTTP request (\(parserError))")
            return
        }
        if !(error is IOError) { logger.notice("connection error: \(error)") }
        context.close(promise: nil)
    }

    private func failAndClose(context: ChannelHandlerContext, status: Int, message: String) {
        busy = true   // nothing else is written on this connection
        let reply = APIError(status, message).reply
        guard case .bytes(let body) = reply.body else { return }
        var headers = HTTPHeaders(reply.headers.map { ($0.name, $0.value) })
        headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        headers.replaceOrAdd(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
