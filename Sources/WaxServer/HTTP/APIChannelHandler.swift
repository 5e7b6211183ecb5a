import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import WaxConfig

/// One connection's requests: each is answered by `APIRoutes` on the store's threads, then
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
    private let pool: NIOThreadPool
    private let headGuard: RequestHeadGuard
    private let output: OutputBudget
    /// Admitted past the cap: `/healthz` alone is answered, then the connection closes.
    private let healthOnly: Bool
    private var logger: Logger { routes.logger }
    /// The next pipelined request, held until the answer before it has left (a client that
    /// sends a thousand requests and reads nothing must not make a thousand answers).
    private var held: [HTTPServerRequestPart] = []
    /// Bytes of answers this connection has sent, to give memory back when a large amount is done.
    private var sentInAll = 0

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

    init(routes: APIRoutes, pool: NIOThreadPool, headGuard: RequestHeadGuard, output: OutputBudget, healthOnly: Bool = false) {
        self.routes = routes
        self.pool = pool
        self.headGuard = headGuard
        self.output = output
        self.healthOnly = healthOnly
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head = part, !context.channel.isWritable { held.append(part) } else if !held.isEmpty { held.append(part) } else { read(part, context: context) }
    }

    private func read(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
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
        if healthOnly {
            keepAlive = false
            guard head.uri.split(separator: "?").first == "/healthz" else {
                failAndClose(context: context, status: 503, message: "too many connections: only /healthz is answered now, try again in a moment")
                return
            }
        }
        let apiRequest = APIRequest(method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) })
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let routes = self.routes
        pool.submit { _ in
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
        if healthOnly { keepAlive = false }
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        var reply = reply
        if case .bytes(let bytes) = reply.body, !omitBody, !bytes.isEmpty, !output.take(bytes.count) {
            // Every client reading nothing has filled the server's budget for unread answers.
            logger.notice("\(head.method.rawValue) \(head.uri.prefix(300)): 503, \(output.inUse >> 20) MB of answers wait for clients that do not read")
            reply = APIError(503, "the server is busy: try again in a moment").reply
            guard case .bytes(let busy) = reply.body else { return }
            headers.replaceOrAdd(name: "Content-Length", value: String(busy.count))
            _ = output.take(busy.count)
        }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers))),
                      promise: nil)
        switch reply.body {
        case .bytes(let bytes):
            if !omitBody, !bytes.isEmpty {
                let written = context.eventLoop.makePromise(of: Void.self)
                let output = self.output, count = bytes.count
                written.futureResult.whenComplete { _ in output.give(count) }
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: written)
                sentInAll += count
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
        pool.submit { _ in
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
            sentInAll += bytes.count
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
        // The answer before has left: the request held behind it may be answered now.
        while context.channel.isWritable, !held.isEmpty {
            let part = held.removeFirst()
            read(part, context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        held.removeAll()
        // A connection that was sent a lot (a client that read nothing, a huge unpaged list):
        // give the memory its answers took back to the system.
        if sentInAll > 8 << 20 { MemoryTrim.releaseFreedMemory() }
        context.fireChannelInactive()
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
