import Foundation
import NIOCore
import NIOPosix

/// An HTTP CONNECT proxy on 127.0.0.1, port 0, as a corporate proxy is: it records each CONNECT's
/// target and Proxy-Authorization header, and everything it received before the tunnel opened (the
/// only bytes a proxy sees in the clear), then tunnels bytes to the target. With `requiredAuthorization`
/// set, a CONNECT without that exact header is answered 407.
final class ConnectProxy: Sendable {
    struct Seen: Sendable {
        var target: String
        var authorization: String?
        /// The request head as received, in the clear.
        var head: String
    }

    private let listener: NIOAsyncChannel<ByteChannel, Never>
    let port: Int
    private let seen: Recorded<Seen>
    private let tunnels: Recorded<Int>

    var connects: [Seen] { seen.all }
    /// The local port of every tunnel opened to a target: what the target sees as the client's port.
    var tunnelPorts: [Int] { tunnels.all }
    var url: String { "http://127.0.0.1:\(port)" }

    init(requiredAuthorization: String? = nil) async throws {
        let seen = Recorded<Seen>(), tunnels = Recorded<Int>()
        (self.seen, self.tunnels) = (seen, tunnels)
        (listener, port) = try await Splice.listen { connection in
            await Self.serve(connection, requiredAuthorization: requiredAuthorization, seen: seen, tunnels: tunnels)
        }
    }

    func stop() { listener.channel.close(promise: nil) }

    /// A CONNECT to any other host than 127.0.0.1 (or localhost) is refused: the tests never reach out.
    private static func serve(_ connection: ByteChannel, requiredAuthorization: String?, seen: Recorded<Seen>, tunnels: Recorded<Int>) async {
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
            seen.add(Seen(target: target, authorization: authorization, head: text))
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
            tunnels.add(upstream.channel.localAddress?.port ?? -1)
            try await outbound.write(ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n\r\n"))
            try await upstream.executeThenClose { upIn, upOut in
                if head.readableBytes > 0 { try await upOut.write(head) }
                await Splice.pump(client: connection.channel, &iterator, outbound, upstream: upstream.channel, upIn, upOut)
            }
        }
    }
}
