import FlyingFox
import FlyingSocks
import Foundation

/// A request as the mock received it: every one is recorded, so a test can say what was never asked.
struct Received: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: [String: String]
    var body: Data
    /// The server's time when the request arrived.
    var at: Date
    /// What the mock answered (nil while held).
    var status: Int?

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What the mock answers.
struct Reply: Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var body: Data

    static func json(_ object: Any, status: Int = 200) -> Reply {
        Reply(status: status, body: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}

/// A fault to inject: requests matching `path` (a prefix) and `when` get `reply` instead, at most
/// `times` times.
struct Fault: Sendable {
    var path: String
    var times: Int
    var reply: Reply
    var when: @Sendable (Received) -> Bool = { _ in true }
}

/// An HTTP server on 127.0.0.1, port 0, for one test: it records every request, injects faults,
/// can enforce a sliding-window rate limit (429 without Retry-After, as Huntress answers), and can
/// hold one chosen request until the test releases it (to kill a client mid-collection).
actor MockServer {
    private let server: HTTPServer
    private var task: Task<Void, any Error>?
    private(set) var requests: [Received] = []
    private var faults: [Fault] = []
    private var rate: (limit: Int, window: Double)?
    private var recent: [Date] = []
    private var hold: (path: String, arrived: CheckedContinuation<Void, Never>?, release: [CheckedContinuation<Void, Never>])?
    private var holdArrived = false
    private let route: @Sendable (Received) async -> Reply

    init(route: @escaping @Sendable (Received) async -> Reply) throws {
        self.route = route
        let address = try sockaddr_in.inet(ip4: "127.0.0.1", port: 0)
        server = HTTPServer(address: address, timeout: 120, logger: DisabledLogger.disabled)
    }

    /// Starts listening; returns the base URL (`http://127.0.0.1:PORT`).
    func start() async throws -> URL {
        let server = self.server
        await server.appendRoute("*") { [weak self] request in
            guard let self else { return HTTPResponse(statusCode: .internalServerError) }
            return await self.handle(request)
        }
        task = Task { try await server.run() }
        // FlyingFox waits 5 s by default: too short when the whole suite saturates a 2-core machine
        // (every collect test then failed at start-up with a timeout); listening takes milliseconds idle.
        try await server.waitUntilListening(timeout: 120)
        guard case .ip4(_, let port) = await server.listeningAddress else { throw MockError.noPort }
        return URL(string: "http://127.0.0.1:\(port)")!
    }

    func stop() async {
        releaseHold()
        await server.stop(timeout: 0)
        task?.cancel()
    }

    func inject(_ fault: Fault) { faults.append(fault) }

    func limit(_ count: Int, per window: Double) { rate = (count, window) }

    /// Holds the first request to `path` until `releaseHold()`; `heldRequestArrived()` waits for it.
    func holdRequest(to path: String) { hold = (path, nil, []) }

    func heldRequestArrived() async {
        if holdArrived { return }
        await withCheckedContinuation { c in hold?.arrived = c }
    }

    func releaseHold() {
        for c in hold?.release ?? [] { c.resume() }
        hold?.arrived?.resume()
        hold = nil
    }

    private func handle(_ request: HTTPRequest) async -> HTTPResponse {
        var headers: [String: String] = [:]
        for (k, v) in request.headers { headers[k.rawValue.lowercased()] = v }
        var query: [String: String] = [:]
        for q in request.query { query[q.name] = q.value }
        let body = (try? await request.bodyData) ?? Data()
        let received = Received(method: request.method.rawValue, path: request.path, query: query, headers: headers, body: body, at: Date())
        let index = requests.count
        requests.append(received)
        if let h = hold, received.path == h.path {
            holdArrived = true
            h.arrived?.resume()
            hold?.arrived = nil
            await withCheckedContinuation { c in hold?.release.append(c) }
        }
        let reply = await answer(received)
        requests[index].status = reply.status
        var out = HTTPHeaders()
        out[HTTPHeader("Content-Type")] = "application/json"
        for (k, v) in reply.headers { out[HTTPHeader(k)] = v }
        return HTTPResponse(statusCode: HTTPStatusCode(reply.status, phrase: "Mock"), headers: out, body: reply.body)
    }

    private func answer(_ r: Received) async -> Reply {
        if let rate {
            recent.removeAll { r.at.timeIntervalSince($0) >= rate.window }
            if recent.count >= rate.limit { return .json(["errors": ["rate limit exceeded"]], status: 429) }
            recent.append(r.at)
        }
        if let i = faults.firstIndex(where: { r.path.hasPrefix($0.path) && $0.times > 0 && $0.when(r) }) {
            faults[i].times -= 1
            return faults[i].reply
        }
        return await route(r)
    }
}

enum MockError: Error { case noPort }
