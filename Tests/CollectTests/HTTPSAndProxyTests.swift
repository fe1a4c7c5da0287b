import Foundation
import RoleAuditImport
import Testing

/// `roleaudit collect huntress` over HTTPS through the built executable: a private CA trusted only
/// when given (`--ca-file`, `SSL_CERT_FILE`), refused otherwise, and an HTTP CONNECT proxy from
/// `HTTPS_PROXY` that carries every request, sees nothing but CONNECT host:port (and its own
/// credentials), and is skipped for the hosts `NO_PROXY` names. Servers, proxy and certificates are
/// the test's own, on 127.0.0.1, port 0.
@Suite struct HTTPSAndProxyTests {
    let scale = ["--time-scale", String(Harness.timeScale)]

    /// The samples' Northwind reseller served over plain HTTP and, through a TLS front, over HTTPS.
    struct Served {
        let mock: MockHuntress
        let server: MockServer
        let plain: URL
        let front: TLSFront
        let ca: TestCA

        static func start() async throws -> Served {
            let mock = try MockHuntress.samplesReseller()
            let (server, plain) = try await Harness.huntressServer(mock)
            let ca = try await TestCA.shared
            let front = try await TLSFront(backend: plain, ca: ca)
            return Served(mock: mock, server: server, plain: plain, front: front, ca: ca)
        }

        func stop() async {
            front.stop()
            await server.stop()
        }

        /// What no byte written, printed or seen by a proxy in the clear may hold.
        var secrets: [String] { [mock.secret, mock.basic, String(mock.basic.dropFirst("Basic ".count))] }
    }

    func collect(_ url: URL, into dir: URL, _ served: Served, extra: [String] = [], environment: [String: String] = [:]) async throws -> Launched.Output {
        try await Launched.run(
            ["collect", "huntress", "--output", dir.path, "--base-url", url.absoluteString] + scale + extra,
            environment: Harness.environment(huntress: served.mock).merging(environment) { _, new in new })
    }

    func manifest(_ dir: URL) throws -> CollectionManifest {
        try CollectionManifest.read(dir.appendingPathComponent(CollectionManifest.fileName).path)
    }

    /// With the CA given by `--ca-file`, and separately by `SSL_CERT_FILE`, the collection completes
    /// over HTTPS and scans to the same findings as the plain-HTTP collection of the same data.
    @Test func privateCATrustedThroughCAFileOrSSLCertFile() async throws {
        let served = try await Served.start()
        defer { Task { await served.stop() } }
        let plainDir = try Harness.scratch()
        let plain = try await collect(served.plain, into: plainDir, served)
        #expect(plain.status == 0, "\(plain.printed)")
        let (_, plainFindings, _) = try await Harness.scan([plainDir.path])
        #expect(!plainFindings.isEmpty)
        let viaHTTP = await served.server.requests.count

        for (label, extra, env) in [
            ("--ca-file", ["--ca-file", served.ca.ca.path], [String: String]()),
            ("SSL_CERT_FILE", [], ["SSL_CERT_FILE": served.ca.ca.path]),
        ] {
            let before = await served.server.requests.count
            let dir = try Harness.scratch()
            let r = try await collect(served.front.url(), into: dir, served, extra: extra, environment: env)
            #expect(r.status == 0, "\(label): \(r.printed)")
            #expect(await served.server.requests.count - before == viaHTTP, "\(label): every request of the plain collection, made over HTTPS")
            #expect(!served.front.clientPorts.isEmpty)
            #expect(try manifest(dir).state == .complete, "\(label)")
            let (scan, findings, reports) = try await Harness.scan([dir.path])
            #expect(scan.status == 0, "\(label): \(scan.printed)")
            #expect(Harness.identities(findings) == Harness.identities(plainFindings), "\(label)")
            Harness.expectNoSecrets(served.secrets, in: [dir, reports], printed: [r.printed, scan.printed])
        }
    }

    /// Without the CA the server's certificate is refused: exit 2, one line naming the host and the
    /// certificate problem, not retried, the scope incomplete in the manifest, no request reaches
    /// the server, no secret anywhere.
    @Test func unknownCAIsRefusedNamingTheHost() async throws {
        let served = try await Served.start()
        defer { Task { await served.stop() } }
        let dir = try Harness.scratch()
        let r = try await collect(served.front.url(), into: dir, served)
        #expect(r.status == 2, "\(r.printed)")
        let hostPort = "127.0.0.1:\(served.front.port)"
        let lines = r.stderr.split(separator: "\n").filter { $0.contains(hostPort) }
        #expect(lines.count == 1, "\(r.stderr)")
        let line = lines.first.map(String.init) ?? ""
        #expect(line.contains("certificate") && line.contains("not trusted") && line.contains("--ca-file"), "\(line)")
        #expect(!line.contains("BoringSSL") && !line.contains("handshakeFailed"), "a message for a person, not a type dump: \(line)")
        let m = try manifest(dir)
        #expect(m.state == .incomplete)
        let scope = try #require(m.scopes.first)
        #expect(scope.state == .incomplete && (scope.reason ?? "").contains("not trusted"), "\(m.scopes)")
        #expect(scope.requests.map(\.attempts) == [1], "a certificate no retry can fix is not retried: \(scope.requests)")
        #expect(await served.server.requests.isEmpty, "nothing passed the refused handshake")
        // At most one connection: the pool must not reconnect on its own (it made 21 handshakes).
        // The front records a port as it accepts, on its own event loop, and a client that drops
        // the handshake at once can be gone first (seen once in CI, release build), hence not == 1;
        // that a handshake took place is the refusal line above.
        #expect(served.front.clientPorts.count <= 1)
        Harness.expectNoSecrets(served.secrets, in: [dir], printed: [r.printed])
    }

    /// With HTTPS_PROXY every connection to the API is a tunnel the proxy opened on CONNECT to the
    /// API's host:port, and the proxy sees nothing else in the clear: no credential of the API's.
    @Test func httpsProxyCarriesEveryRequestThroughConnect() async throws {
        let served = try await Served.start()
        defer { Task { await served.stop() } }
        let proxy = try await ConnectProxy()
        defer { proxy.stop() }
        let dir = try Harness.scratch()
        let r = try await collect(
            served.front.url(), into: dir, served, extra: ["--ca-file", served.ca.ca.path],
            environment: ["HTTPS_PROXY": proxy.url, "NO_PROXY": "other.example,.corp.example"])
        #expect(r.status == 0, "\(r.printed)")
        #expect(try manifest(dir).state == .complete)
        let connects = proxy.connects
        #expect(!connects.isEmpty)
        #expect(connects.allSatisfy { $0.target == "127.0.0.1:\(served.front.port)" }, "\(connects.map(\.target))")
        #expect(connects.allSatisfy { $0.head.hasPrefix("CONNECT 127.0.0.1:\(served.front.port) HTTP/1.1\r\n") && $0.authorization == nil })
        #expect(!served.front.clientPorts.isEmpty && Set(served.front.clientPorts).isSubset(of: Set(proxy.tunnelPorts)),
            "every connection the API saw came out of a proxy tunnel: \(served.front.clientPorts) vs \(proxy.tunnelPorts)")
        #expect(await !served.server.requests.isEmpty)
        for seen in connects {
            for s in served.secrets { #expect(!seen.head.contains(s), "the proxy saw a secret in the clear") }
            #expect(!seen.head.lowercased().contains("authorization") && !seen.head.contains("/v1/"))
        }
        Harness.expectNoSecrets(served.secrets, in: [dir], printed: [r.printed])
    }

    /// NO_PROXY naming the API's host, in each form the implementation supports, sends no CONNECT
    /// and the collection still completes (directly).
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"), ("other.example, 127.0.0.1", "127.0.0.1"), ("*", "127.0.0.1"),
        ("localhost", "localhost"), ("LOCALHOST", "localhost"),
    ])
    func noProxyExemptsTheHost(noProxy: String, host: String) async throws {
        let served = try await Served.start()
        defer { Task { await served.stop() } }
        let proxy = try await ConnectProxy()
        defer { proxy.stop() }
        let dir = try Harness.scratch()
        let r = try await collect(
            served.front.url(host: host), into: dir, served, extra: ["--ca-file", served.ca.ca.path],
            environment: ["HTTPS_PROXY": proxy.url, "NO_PROXY": noProxy])
        #expect(r.status == 0, "NO_PROXY=\(noProxy): \(r.printed)")
        #expect(proxy.connects.isEmpty, "NO_PROXY=\(noProxy): \(proxy.connects.map(\.target))")
        #expect(await !served.server.requests.isEmpty)
        #expect(try manifest(dir).state == .complete)
    }

    static let proxyUser = "audit-proxy"
    static let proxyPassword = "Pr0xy-pa55-never-printed"
    static var proxyAuthorization: String { "Basic " + Data("\(proxyUser):\(proxyPassword)".utf8).base64EncodedString() }

    /// Secrets of the proxy's that no byte written or printed may hold.
    static var proxySecrets: [String] { [proxyPassword, String(proxyAuthorization.dropFirst("Basic ".count))] }

    /// Collects over HTTPS through `proxy`, with the user and password in HTTPS_PROXY.
    func collectWithProxyCredentials(_ served: Served, _ proxy: ConnectProxy, into dir: URL) async throws -> Launched.Output {
        try await collect(
            served.front.url(), into: dir, served, extra: ["--ca-file", served.ca.ca.path],
            environment: ["HTTPS_PROXY": "http://\(Self.proxyUser):\(Self.proxyPassword)@127.0.0.1:\(proxy.port)"])
    }

    /// The credentials in HTTPS_PROXY reach the proxy as Proxy-Authorization on every CONNECT, and
    /// appear in no file, stdout or stderr.
    @Test func proxyCredentialsReachOnlyTheProxy() async throws {
        let served = try await Served.start()
        defer { Task { await served.stop() } }
        let proxy = try await ConnectProxy(requiredAuthorization: Self.proxyAuthorization)
        defer { proxy.stop() }
        let dir = try Harness.scratch()
        let r = try await collectWithProxyCredentials(served, proxy, into: dir)
        #expect(r.status == 0, "\(r.printed)")
        #expect(!proxy.connects.isEmpty && proxy.connects.allSatisfy { $0.authorization == Self.proxyAuthorization })
        #expect(await served.server.requests.allSatisfy { $0.header("proxy-authorization") == nil }, "the API never sees the proxy's credentials")
        let (scan, _, reports) = try await Harness.scan([dir.path])
        Harness.expectNoSecrets(
            served.secrets + Self.proxySecrets, in: [dir, reports],
            printed: [r.printed, scan.printed])
    }

    /// A proxy that refuses the credentials (407): exit 2, one clear line naming the proxy and the
    /// refusal, not retried, the scope incomplete, the password nowhere.
    @Test func proxyRefusingTheCredentialsIsAClearErrorWithoutThePassword() async throws {
        let served = try await Served.start()
        defer { Task { await served.stop() } }
        let proxy = try await ConnectProxy(requiredAuthorization: "Basic " + Data("someone:else".utf8).base64EncodedString())
        defer { proxy.stop() }
        let dir = try Harness.scratch()
        let r = try await collectWithProxyCredentials(served, proxy, into: dir)
        #expect(r.status == 2, "\(r.printed)")
        let lines = r.stderr.split(separator: "\n").filter { $0.contains("407") }
        #expect(lines.count == 1, "\(r.stderr)")
        let line = lines.first.map(String.init) ?? ""
        #expect(line.contains("proxy 127.0.0.1:\(proxy.port)") && line.contains("HTTPS_PROXY"), "\(line)")
        #expect(proxy.connects.count == 1 && proxy.connects.first?.authorization == Self.proxyAuthorization, "sent once, not retried")
        #expect(await served.server.requests.isEmpty)
        let m = try manifest(dir)
        #expect(m.state == .incomplete && m.scopes.first?.state == .incomplete)
        Harness.expectNoSecrets(
            served.secrets + Self.proxySecrets, in: [dir], printed: [r.printed])
    }
}
