import Foundation
import RoleAuditImport
import RoleAuditModel

/// Why a scope stopped: the message the manifest records and the progress line prints.
struct ScopeFailure: Error {
    var reason: String
}

/// Sends requests for one credential: waits for its rate limiter, authenticates every attempt
/// afresh (a Cortex advanced key signs each one with a new nonce and time), retries 429, 5xx and
/// connection errors with jittered exponential backoff, and refuses what must not be retried.
struct Fetcher: Sendable {
    let transport: any HTTPTransport
    let limiter: RateLimiter
    let pacing: Pacing
    let clock: any CollectClock
    let platform: Platform
    /// Names the credential in messages.
    let label: String
    let redact: Redactor
    /// Adds the authentication headers for one attempt.
    let authenticate: @Sendable (inout [(String, String)]) -> Void

    /// The outcome of one request after its retries, and what the manifest records of it.
    struct Result {
        var answer: HTTPAnswer?
        var record: CollectionManifest.Request
        var failure: ScopeFailure?
    }

    /// Sends `call`; `retries` is the scope's running count of retries (bounded by the pacing).
    func send(_ call: HTTPCall, endpoint: String, pageToken: String?, retries: inout Int) async throws -> Result {
        let started = clock.now()
        var attempt = 0
        var last = ""
        var status: Int?
        func result(_ answer: HTTPAnswer?, _ failure: String?) -> Result {
            let elapsed = clock.now().timeIntervalSince(started)
            let record = CollectionManifest.Request(
                method: call.method, endpoint: endpoint, pageToken: pageToken, status: status,
                error: failure.map { redact($0) }, attempts: attempt, at: Timestamp.iso(started), milliseconds: Int((elapsed * 1000).rounded()))
            return Result(answer: answer, record: record, failure: failure.map { ScopeFailure(reason: redact($0)) })
        }
        while true {
            try Task.checkCancellation()
            attempt += 1
            try await limiter.acquire()
            var signed = call
            authenticate(&signed.headers)
            var wait: Double?
            do {
                let answer = try await transport.send(signed)
                status = answer.status
                switch verdict(answer) {
                case .success:
                    if redact.leaks(into: answer.body) {
                        return result(nil, "\(call.method) \(endpoint): the response holds the credential's secret; it was not written")
                    }
                    return result(answer, nil)
                case .fail(let why):
                    return result(nil, "\(call.method) \(endpoint) answered \(answer.status): \(why)")
                case .retry(let why, let delay):
                    last = "answered \(answer.status) (\(why))"
                    wait = delay
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch let refusal as HTTPRefusal {
                status = nil
                return result(nil, "\(call.method) \(endpoint) failed: \(printable(refusal.description)). Not retried")
            } catch {
                status = nil
                last = "failed: \(printable(String(describing: error)))"
            }
            guard attempt < pacing.attempts, retries < pacing.retriesPerScope else {
                let budget = attempt < pacing.attempts ? " (the scope's \(pacing.retriesPerScope) retries are spent)" : ""
                return result(nil, "\(call.method) \(endpoint) \(last); gave up after \(attempt) attempt(s)\(budget)")
            }
            retries += 1
            let delay = max(wait ?? 0, pacing.backoff(retry: attempt))
            if wait != nil { await limiter.pause(seconds: delay) }
            try await clock.sleep(seconds: delay)
        }
    }

    enum Verdict {
        case success
        case fail(String)
        /// Retry after at least this many seconds (nil: backoff alone).
        case retry(String, Double?)
    }

    /// What a status means, per ../shared/reference/live-collection.md §1.6, §2.7 and §4.2.
    func verdict(_ answer: HTTPAnswer) -> Verdict {
        let message = Self.errorMessage(answer.body).map { printable(redact($0)) }
        let detail = message.map { ": \($0)" } ?? ""
        if platform == .cortexXDR, let m = message?.lowercased(), m.contains("too many requests") || m.contains("rate limit") {
            return .retry("throttled\(detail)", limiter.window)
        }
        switch answer.status {
        case 200..<300:
            return .success
        case 300..<400:
            let host = answer.header("Location").flatMap { URL(string: $0)?.host }.map { " to \(printable($0))" } ?? ""
            return .fail("a redirect\(host), which is not followed (it would carry the credential to another address)")
        case 401:
            let hint = platform == .cortexXDR
                ? "check the key id and key, the key type (advanced or standard: --standard-key) and this machine's clock"
                : "check the API key and secret"
            return .fail("\(label) was refused (401 Unauthorized\(detail)); \(hint). Not retried")
        case 403:
            return .fail("\(label) lacks permission (403 Forbidden\(detail)). Not retried")
        case 404:
            return .fail("not found, or the credential may not read it (404\(detail)); never taken as empty")
        case 429:
            let after = answer.header("Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            return .retry("too many requests", min(after ?? limiter.window, pacing.backoffCap * 2))
        case 500 where platform == .cortexXDR && message != nil:
            // A Cortex 500 with an error message is an answer (a missing role_names gives one), not a hiccup.
            return .fail("server error\(detail)")
        case 500, 502, 503, 504:
            return .retry("server error\(detail)", nil)
        default:
            return .fail("refused\(detail)")
        }
    }

    /// `reply.err_msg`, `err_msg`, `message` or `errors` from an error body, if it is JSON.
    static func errorMessage(_ body: Data) -> String? {
        guard !body.isEmpty, let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        let reply = json["reply"] as? [String: Any]
        for candidate in [reply?["err_msg"], json["err_msg"], json["message"], json["error"], json["errors"]] {
            if let s = candidate as? String, !s.isEmpty { return s }
            if let list = candidate as? [Any], !list.isEmpty { return list.map { "\($0)" }.joined(separator: "; ") }
        }
        return nil
    }
}

enum Timestamp {
    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
