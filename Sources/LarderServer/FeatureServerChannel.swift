import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 connection with ``OnlineFeaturesHandler`` added to each pipeline, after
/// Hummingbird's connection-state handler (so idle timeouts and graceful shutdown count the
/// requests it answers) and before the async channel that feeds the router. (Hummingbird's
/// `additionalChannelHandlers` go before that state handler, which would then not see them.)
struct FeatureServerChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel
    let server: FeatureServer

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let server = server
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let state = try pipeline.handler(type: HTTPConnectionStateHandler.self)
            try pipeline.addHandler(OnlineFeaturesHandler(server: server), position: .after(state))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with `POST /get-online-features` answered on the event loop.
    static func larder(_ server: FeatureServer, configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            FeatureServerChannel(http1: HTTP1Channel(responder: responder, configuration: configuration), server: server)
        }
    }
}
