import NIOCore
import NIOPosix
import NIOSSL

typealias ByteChannel = NIOAsyncChannel<ByteBuffer, ByteBuffer>

/// Byte pipes for the TLS front and the CONNECT proxy: a TCP connection opened to 127.0.0.1 and
/// bytes copied both ways until either side closes.
enum Splice {
    /// Listens on 127.0.0.1, port 0, and hands every connection to `serve` in a task of its own
    /// until the listener is closed. `tls` terminates TLS before the bytes reach `serve`.
    static func listen(
        tls: NIOSSLContext? = nil, _ serve: @escaping @Sendable (ByteChannel) async -> Void
    ) async throws -> (NIOAsyncChannel<ByteChannel, Never>, Int) {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    return try ByteChannel(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = listener.channel.localAddress?.port else { throw TestCAError(message: "a listener on 127.0.0.1 has no port") }
        Task {
            try? await listener.executeThenClose { connections in
                await withTaskGroup(of: Void.self) { group in
                    do {
                        for try await connection in connections { group.addTask { await serve(connection) } }
                    } catch {}
                }
            }
        }
        return (listener, port)
    }

    static func connect(port: Int) async throws -> ByteChannel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try ByteChannel(wrappingChannelSynchronously: channel) }
        }
    }

    /// Copies what `iterator` (the client's side, perhaps partly read already) yields to `upstreamOut`, and
    /// `upstreamIn` to `clientOut`, until one side ends; then closes both so that the other ends too.
    static func pump(
        client: any Channel, _ iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, _ clientOut: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        upstream: any Channel, _ upstreamIn: NIOAsyncChannelInboundStream<ByteBuffer>, _ upstreamOut: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do { for try await bytes in upstreamIn { try await clientOut.write(bytes) } } catch {}
                client.close(promise: nil)
                upstream.close(promise: nil)
            }
            do { while let bytes = try await iterator.next() { try await upstreamOut.write(bytes) } } catch {}
            client.close(promise: nil)
            upstream.close(promise: nil)
            await group.waitForAll()
        }
    }
}
