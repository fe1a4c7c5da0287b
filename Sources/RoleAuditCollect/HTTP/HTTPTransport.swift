import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP request as the collectors build it.
public struct HTTPCall: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(String, String)]
    public var body: Data?

    public init(method: String, url: URL, headers: [(String, String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One response, body read whole (bounded by `HTTPTransport.bodyLimit`).
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}

public protocol HTTPTransport: Sendable {
    func send(_ call: HTTPCall) async throws -> HTTPAnswer
    func shutdown() async
}

/// Where the HTTP client connects through, and whom it trusts.
public struct NetworkSettings: Sendable, Equatable {
    public var proxy: ProxySettings?
    /// PEM file of extra trusted roots (a TLS-inspecting corporate proxy), on top of the system's.
    public var caFile: String?

    public init(proxy: ProxySettings? = nil, caFile: String? = nil) {
        self.proxy = proxy
        self.caFile = caFile
    }

    /// `HTTPS_PROXY`/`NO_PROXY` (either case) and `--ca-file`, else `SSL_CERT_FILE`.
    public static func from(environment env: [String: String], caFile: String?) throws -> NetworkSettings {
        let ca = caFile ?? env["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let ca {
            let certificates: [NIOSSLCertificate]
            do { certificates = try NIOSSLCertificate.fromPEMFile(ca) } catch {
                throw CollectError.usage("the CA bundle \(ca) cannot be read as PEM certificates (\(error))")
            }
            guard !certificates.isEmpty else { throw CollectError.usage("the CA bundle \(ca) holds no certificate") }
        }
        return NetworkSettings(proxy: try ProxySettings.from(environment: env), caFile: ca)
    }
}

/// An HTTP CONNECT proxy for https requests, from `HTTPS_PROXY`, and the hosts `NO_PROXY` exempts.
/// AsyncHTTPClient reads no environment, so this does (as curl reads these variables).
public struct ProxySettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var noProxy: [String]

    public static func from(environment env: [String: String]) throws -> ProxySettings? {
        guard let raw = (env["HTTPS_PROXY"] ?? env["https_proxy"]).flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        let text = raw.contains("://") ? raw : "http://" + raw
        guard let parts = URLComponents(string: text), let host = parts.host, !host.isEmpty, parts.scheme?.lowercased() == "http" else {
            throw CollectError.usage("HTTPS_PROXY must be http://HOST:PORT (an HTTP CONNECT proxy), not '\(Redactor.withoutUserInfo(raw))'")
        }
        let noProxy = (env["NO_PROXY"] ?? env["no_proxy"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }.filter { !$0.isEmpty }
        return ProxySettings(
            host: host, port: parts.port ?? 80, username: parts.user?.removingPercentEncoding,
            password: parts.password?.removingPercentEncoding, noProxy: noProxy)
    }

    /// True when a request to `host` goes through the proxy: https only, and not exempted by
    /// `NO_PROXY` (`*`, a host, or a domain suffix with or without a leading dot).
    public func applies(to url: URL) -> Bool {
        guard url.scheme?.lowercased() == "https", let host = url.host?.lowercased() else { return false }
        for entry in noProxy {
            if entry == "*" { return false }
            let name = entry.split(separator: ":").first.map(String.init) ?? entry
            let suffix = name.hasPrefix(".") ? String(name.dropFirst()) : name
            if host == suffix || host.hasSuffix("." + suffix) { return false }
        }
        return true
    }
}

/// The transport on AsyncHTTPClient: redirects refused (a redirect would carry the credential's
/// headers to whatever host it names), connect and read timeouts plus a deadline per request, and
/// one client through the proxy and one without (NO_PROXY decides per host). Foundation's
/// URLSession is not used: on Linux it forwards Authorization across hosts and ignores proxies.
public final class AsyncHTTPTransport: HTTPTransport {
    /// Far above any page of 500 memberships (about 150 KB): a larger body is refused, not buffered.
    public static let bodyLimit = 64 << 20

    private let direct: HTTPClient
    private let proxied: HTTPClient?
    private let proxy: ProxySettings?
    private let requestTimeout: Double

    public init(settings: NetworkSettings, pacing: Pacing) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = settings.caFile { tls.additionalTrustRoots = [.file(ca)] }
        func configuration(_ proxy: HTTPClient.Configuration.Proxy?) -> HTTPClient.Configuration {
            var c = HTTPClient.Configuration(
                tlsConfiguration: tls, redirectConfiguration: .disallow,
                timeout: .init(connect: Self.amount(pacing.connectTimeout), read: Self.amount(pacing.readTimeout)), proxy: proxy)
            c.httpVersion = .http1Only
            // A failed connection fails its request at once, for the Fetcher to retry with its own
            // backoff, counted in the manifest, or to refuse (an untrusted certificate, a 407).
            // Left on, the pool would redo the TLS handshake or the CONNECT quietly until the
            // connect timeout and only then report the error.
            c.connectionPool.retryConnectionEstablishment = false
            return c
        }
        direct = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration(nil))
        proxy = settings.proxy
        proxied = settings.proxy.map { p in
            let authorization = p.username.map { HTTPClient.Authorization.basic(username: $0, password: p.password ?? "") }
            return HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: configuration(.server(host: p.host, port: p.port, authorization: authorization)))
        }
        requestTimeout = pacing.requestTimeout
    }

    private static func amount(_ seconds: Double) -> TimeAmount { .milliseconds(Int64(seconds * 1000)) }

    public func send(_ call: HTTPCall) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: call.url.absoluteString)
        request.method = HTTPMethod(rawValue: call.method)
        for (name, value) in call.headers { request.headers.add(name: name, value: value) }
        if let body = call.body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        }
        request.headers.replaceOrAdd(name: "Accept", value: "application/json")
        let viaProxy = (proxy?.applies(to: call.url) ?? false) && proxied != nil
        let response: HTTPClientResponse
        do {
            response = try await (viaProxy ? proxied ?? direct : direct).execute(request, timeout: Self.amount(requestTimeout))
        } catch {
            throw HTTPRefusal(error, url: call.url, proxy: viaProxy ? proxy : nil) ?? error
        }
        var buffer = try await response.body.collect(upTo: Self.bodyLimit)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Data(bytes))
    }

    public func shutdown() async {
        try? await direct.shutdown()
        try? await proxied?.shutdown()
    }
}

/// A failure of the connection that no retry can mend, said so that a person knows what to change:
/// the server's certificate is not trusted or names another host, or the proxy refused its
/// credentials. The Fetcher does not retry these.
public struct HTTPRefusal: Error, CustomStringConvertible {
    public var description: String

    /// Nil for any other error (a refused or reset connection, a timeout), which is retried.
    init?(_ error: any Error, url: URL, proxy: ProxySettings?) {
        let host = url.host ?? "?"
        let address = "\(host):\(url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80))"
        if let tls = error as? NIOSSLError, case .handshakeFailed(let reason) = tls, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
            description = "the TLS certificate of \(address) is not trusted (not issued by a CA this machine trusts); "
                + "if it comes from a private CA or a TLS-inspecting proxy, give that CA's PEM with --ca-file or SSL_CERT_FILE"
        } else if let tls = error as? NIOSSLExtraError, tls == .failedToValidateHostname {
            description = "the TLS certificate of \(address) does not name \(host)"
        } else if let http = error as? HTTPClientError, http == .proxyAuthenticationRequired, let proxy {
            let credentials = proxy.username == nil ? "HTTPS_PROXY carries no user:password" : "check the user and password in HTTPS_PROXY"
            description = "the proxy \(proxy.host):\(proxy.port) refused its credentials (407 Proxy Authentication Required); \(credentials)"
        } else {
            return nil
        }
    }
}
