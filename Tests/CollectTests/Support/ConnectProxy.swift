import Foundation
import NIOCore
import NIOPosix

/// An HTTP CONNECT proxy on 127.0.0.1, port 0, as a corporate proxy is: it records each CONNECT's
/// target and Proxy-Authorization header, and everything it received before the tunnel opened (the
/// only bytes a proxy sees in the clear), then tunnels bytes to the target. With `requiredAuthorization`
/// set, a CONNECT without that exact header is answered 407.
final class ConnectProxy: @unchecked Sendable {
    struct Seen: Sendable {
        var target: String
        var authorization: String?
        /// The request head as received, in the clear.
        var head: String
    }

    private let listener: NIOAsyncChannel<ByteChannel, Never>
    let port: Int
    private let lock = NSLock()
    private var seen: [Seen] = []
    private var tunnels: [Int] = []
    /// The local port of every tunnel opened to a target: what the target sees as the client's port.
    var tunnelPorts: [Int] { lock.withLock { tunnels } }
    /// A CONNECT to any other host than 127.0.0.1 is refused: the tests never reach out.
    let requiredAuthorization: String?

    var connects: [Seen] { lock.withLock { seen } }
    var url: String { "http://127.0.0.1:\(port)" }

    init(requiredAuthorization: String? = nil) async throws {
        self.requiredAuthorization = requiredAuthorization
        listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try ByteChannel(wrappingChannelSynchronously: channel) }
            }
        guard let port = listener.channel.localAddress?.port else { throw TestCAError(message: "the proxy has no port") }
        self.port = port
        let listener = self.listener
        Task { [self] in
            try? await listener.executeThenClose { connections in
                await withTaskGroup(of: Void.self) { group in
                    do {
                        for try await connection in connections { group.addTask { await self.serve(connection) } }
                    } catch {}
                }
            }
        }
    }

    func stop() { listener.channel.close(promise: nil) }

    private func serve(_ connection: ByteChannel) async {
        try? await connection.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            var head = ByteBuffer()
            let end = Array("\r\n\r\n".utf8)
            var headEnd: Int?
            while headEnd == nil {
                guard var chunk = try await iterator.next() else { return }
                head.writeBuffer(&chunk)
                headEnd = head.readableBytesView.firstRange(of: end)?.upperBound
                if head.readableBytes > 65536 { return }
            }
            let length = (headEnd ?? 0) - head.readerIndex
            let text = head.readString(length: length) ?? ""
            let lines = text.components(separatedBy: "\r\n")
            let request = lines.first?.split(separator: " ").map(String.init) ?? []
            let authorization = lines.dropFirst().first { $0.lowercased().hasPrefix("proxy-authorization:") }
                .map { String($0.dropFirst("proxy-authorization:".count)).trimmingCharacters(in: .whitespaces) }
            let target = request.count == 3 && request[0] == "CONNECT" ? request[1] : ""
            lock.withLock { seen.append(Seen(target: target, authorization: authorization, head: text)) }
            guard target.hasPrefix("127.0.0.1:") || target.hasPrefix("localhost:"), let port = Int(target.split(separator: ":").last ?? "") else {
                try await outbound.write(ByteBuffer(string: "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                return
            }
            if let requiredAuthorization, authorization != requiredAuthorization {
                try await outbound.write(ByteBuffer(string:
                    "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                return
            }
            let upstream = try await Splice.connect(port: port)
            lock.withLock { tunnels.append(upstream.channel.localAddress?.port ?? -1) }
            try await outbound.write(ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n\r\n"))
            try await upstream.executeThenClose { upIn, upOut in
                if head.readableBytes > 0 { try await upOut.write(head) }
                await Splice.pump(client: connection.channel, &iterator, outbound, upstream: upstream.channel, upIn, upOut)
            }
        }
    }
}
