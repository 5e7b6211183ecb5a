import NIOCore

/// A connection past the cap: answered 503 and closed once it is live. Writing the answer from
/// the child channel's initializer ran before the channel was registered with its event loop,
/// and under load the answer was lost (the client saw the connection close with nothing).
final class RefusedConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let message: String
    private var answered = false

    init(message: String) { self.message = message }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
        context.fireChannelActive()
    }

    /// Whatever the client sends meanwhile is not read: the answer does not depend on it.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        RawResponse.sendAndClose(status: 503, message: message, context: context)
    }
}
