import Foundation
import NIOCore

/// The first handler every byte meets: it reads each request head in linear time under hard
/// caps, before the HTTP parser sees it, and answers at once (then closes) when a head is too
/// long, too slow or not text.
///
/// Without it, a 1 MB request line kept both of FlyingFox's threads busy for ten minutes (its
/// parser re-scanned the line at every read). Here every byte is looked at once: a request
/// line over `Limits.requestLine` is a 414, a head over `Limits.head` bytes or
/// `Limits.lines` lines a 431, a head not complete `Limits.deadline` after its first byte a
/// 408 (slowloris), a request line that is not ASCII or a header that is not UTF-8 a 400.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    struct Limits: Sendable {
        var requestLine = 8 * 1_024
        var head = 32 * 1_024
        var lines = 100
        var deadline = TimeAmount.seconds(10)
        /// A new connection must send its first byte within this long (nil: no bound).
        var firstByte: TimeAmount?
    }

    private enum Mode {
        /// Reading a head (held here until it is complete).
        case head
        /// A request with a body: bytes pass through until the handler behind says it ended.
        case body
        case closed
    }

    private let limits: Limits
    private var mode = Mode.head
    private var pending: ByteBuffer?
    private var lines = 0
    private var lineLength = 0
    private var deadline: Scheduled<Void>?
    private var firstByte: Scheduled<Void>?

    init(limits: Limits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startFirstByteTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startFirstByteTimer(context: context)
        context.fireChannelActive()
    }

    /// A connection that says nothing at all is closed soon: it holds a slot and a descriptor.
    private func startFirstByteTimer(context: ChannelHandlerContext) {
        guard firstByte == nil, let bound = limits.firstByte else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        firstByte = context.eventLoop.scheduleTask(in: bound) {
            let (guardian, context) = loopBound.value
            guardian.refuse(408, "nothing was sent within \(bound.nanoseconds / 1_000_000_000) s of connecting", context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        firstByte?.cancel()
        var buffer = unwrapInboundIn(data)
        while buffer.readableBytes > 0 {
            switch mode {
            case .closed:
                return
            case .body:
                context.fireChannelRead(wrapInboundOut(buffer))
                return
            case .head:
                guard let end = scan(buffer, context: context) else {
                    // All of it belongs to the head (or the connection was refused).
                    if mode == .head { append(buffer, context: context) }
                    return
                }
                let slice = buffer.readSlice(length: end)!
                append(slice, context: context)
                completeHead(context: context)
            }
        }
    }

    /// The request behind the current head (its body included) has been read: the next bytes
    /// start a new head.
    func requestEnded() {
        if mode == .body { mode = .head }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        firstByte?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        firstByte?.cancel()
        mode = .closed
        context.fireChannelInactive()
    }

    /// Looks at each new byte once. Returns how many bytes of `buffer` complete the head, or
    /// nil when the head goes on past it (or a limit refused the connection).
    private func scan(_ buffer: ByteBuffer, context: ChannelHandlerContext) -> Int? {
        if pending == nil, deadline == nil { startDeadline(context: context) }
        let already = pending?.readableBytes ?? 0
        var refusal: (Int, String)?
        let end: Int? = buffer.withUnsafeReadableBytes { bytes in
            for (index, byte) in bytes.enumerated() {
                if already + index + 1 > limits.head {
                    refusal = (431, "the request head is over \(limits.head / 1_024) KiB")
                    return nil
                }
                if byte == UInt8(ascii: "\n") {
                    if lineLength == 0 {
                        if lines > 0 { return index + 1 }   // the empty line: the head is complete
                        continue                           // empty lines before a request are allowed
                    }
                    lines += 1
                    lineLength = 0
                    if lines > limits.lines {
                        refusal = (431, "the request has over \(limits.lines) header lines")
                        return nil
                    }
                } else if byte != UInt8(ascii: "\r") {
                    lineLength += 1
                    if lines == 0, lineLength > limits.requestLine {
                        refusal = (414, "the request line is over \(limits.requestLine / 1_024) KiB")
                        return nil
                    }
                }
            }
            return nil
        }
        if let (status, message) = refusal { refuse(status, message, context: context) }
        return end
    }

    private func append(_ slice: ByteBuffer, context: ChannelHandlerContext) {
        var slice = slice
        if pending == nil {
            pending = context.channel.allocator.buffer(capacity: max(slice.readableBytes, 512))
        }
        pending!.writeBuffer(&slice)
    }

    private func completeHead(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        guard var head = pending else { return }
        pending = nil
        lines = 0
        lineLength = 0
        let bytes = head.readableBytesView
        if let problem = Self.problem(in: bytes) {
            refuse(400, problem, context: context)
            return
        }
        if let coding = Self.header("transfer-encoding", in: bytes), coding != "chunked" {
            // Not a framing this server reads: answered, rather than the connection dropped.
            refuse(501, "Transfer-Encoding \(coding.prefix(40)) is not supported (only chunked)", context: context)
            return
        }
        if Self.declaresBody(bytes) { mode = .body }
        context.fireChannelRead(wrapInboundOut(head.readSlice(length: head.readableBytes)!))
    }

    /// Why a complete head is not a request this server reads: the request line must be
    /// printable ASCII (anything else is percent-encoded), headers valid UTF-8.
    static func problem(in head: ByteBufferView) -> String? {
        let all = Array(head)
        var start = 0
        while start < all.count, all[start] == UInt8(ascii: "\r") || all[start] == UInt8(ascii: "\n") { start += 1 }
        guard let lineEnd = all[start...].firstIndex(of: UInt8(ascii: "\n")) else { return "no request line" }
        let requestLine = all[start..<lineEnd].filter { $0 != UInt8(ascii: "\r") }
        guard requestLine.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return "the request line is not ASCII (non-ASCII characters must be percent-encoded)"
        }
        guard String(validating: all[lineEnd...], as: UTF8.self) != nil else { return "a header is not UTF-8 text" }
        return nil
    }

    /// Whether the head announces a body (a length above zero, or chunks).
    static func declaresBody(_ head: ByteBufferView) -> Bool {
        if header("transfer-encoding", in: head) != nil { return true }
        return header("content-length", in: head).map { $0 != "0" } ?? false
    }

    /// A header's value (lowercased, trimmed), nil when the head has none.
    static func header(_ name: String, in head: ByteBufferView) -> String? {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        // By newline, not by "\n": in a String, "\r\n" is one Character, and a split on "\n"
        // found no header at all (every request body then read as the next head).
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
            return parts[1].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    private func startDeadline(context: ChannelHandlerContext) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: limits.deadline) {
            let (guardian, context) = bound.value
            guardian.deadline = nil
            // Bytes came, but never a whole head: a client too slow to be served.
            if guardian.mode == .head, guardian.pending != nil {
                guardian.refuse(408, "the request head did not arrive within \(guardian.limits.deadline.nanoseconds / 1_000_000_000) s", context: context)
            }
        }
    }

    private func refuse(_ status: Int, _ message: String, context: ChannelHandlerContext) {
        guard mode != .closed else { return }
        mode = .closed
        pending = nil
        deadline?.cancel()
        RawResponse.sendAndClose(status: status, message: message, context: context)
    }
}
