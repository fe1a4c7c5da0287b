import NIOCore
import NIOPosix
import NIOSSL
import Foundation

/// A TLS-terminating front on 127.0.0.1, port 0, for a plain-HTTP mock server: FlyingFox speaks no
/// TLS, so the mock APIs are served over HTTPS by decrypting here and copying the bytes to the
/// mock's port. Its certificate is the test CA's (`TestCA`), valid for 127.0.0.1 and localhost.
final class TLSFront: Sendable {
    private let listener: NIOAsyncChannel<ByteChannel, Never>
    let port: Int
    private let peers: Recorded<Int>
    /// The client port of every connection accepted: a proxy's tunnels show up here as its own ports.
    var clientPorts: [Int] { peers.all }

    init(backend: URL, ca: TestCA) async throws {
        guard let backendPort = backend.port else { throw TestCAError(message: "the mock's URL \(backend) has no port") }
        let certificates = try NIOSSLCertificate.fromPEMFile(ca.serverCertificate.path)
        let key = try NIOSSLPrivateKey(file: ca.serverKey.path, format: .pem)
        let context = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key)))
        let peers = Recorded<Int>()
        self.peers = peers
        (listener, port) = try await Splice.listen(tls: context) { connection in
            peers.add(connection.channel.remoteAddress?.port ?? -1)
            await Self.forward(connection, to: backendPort)
        }
    }

    /// `https://127.0.0.1:PORT`, or the same port under another name the certificate carries.
    func url(host: String = "127.0.0.1") -> URL { URL(string: "https://\(host):\(port)")! }

    func stop() { listener.channel.close(promise: nil) }

    private static func forward(_ connection: ByteChannel, to backendPort: Int) async {
        try? await connection.executeThenClose { inbound, outbound in
            let upstream = try await Splice.connect(port: backendPort)
            try await upstream.executeThenClose { upIn, upOut in
                var iterator = inbound.makeAsyncIterator()
                await Splice.pump(client: connection.channel, &iterator, outbound, upstream: upstream.channel, upIn, upOut)
            }
        }
    }
}
