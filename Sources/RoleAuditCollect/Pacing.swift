import Foundation

/// Wall-clock time and waiting, injectable: tests pin the time (a stale Cortex timestamp) and run
/// rate windows and backoff delays of milliseconds instead of minutes.
public protocol CollectClock: Sendable {
    func now() -> Date
    func sleep(seconds: Double) async throws
}

public struct SystemClock: CollectClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1_000_000_000))
    }
}

/// How fast to go and how long to keep trying. The defaults follow the vendors' documented limits
/// with a margin (../shared/reference/live-collection.md §1.5, §2.8, §4.2): Huntress allows 60
/// requests a minute per account on a sliding window, Cortex 10 a second per tenant, shared with
/// every other integration on the tenant.
public struct Pacing: Sendable, Equatable {
    public var huntressRequests = 55
    public var huntressWindow = 60.0
    public var cortexRequests = 4
    public var cortexWindow = 1.0
    /// Backoff: `base * 2^(attempt-1)`, capped, with jitter (a random half of it added).
    public var backoffBase = 1.0
    public var backoffCap = 60.0
    /// Attempts per request (the first and its retries) and retries per scope in all.
    public var attempts = 4
    public var retriesPerScope = 12
    /// Timeouts, never scaled: connect, read (between bytes) and the whole request.
    public var connectTimeout = 10.0
    public var readTimeout = 30.0
    public var requestTimeout = 60.0
    /// Pages of one list before the collector calls the paging broken rather than loop forever.
    public var pageCap = 10_000

    public init() {}

    /// Rate windows and backoff delays multiplied by `factor` (tests: 0.001 makes a minute 60 ms).
    public func scaled(by factor: Double) -> Pacing {
        var p = self
        p.huntressWindow *= factor
        p.cortexWindow *= factor
        p.backoffBase *= factor
        p.backoffCap *= factor
        return p
    }

    /// The wait before retry number `retry` (1 for the first retry).
    func backoff(retry: Int) -> Double {
        let exponential = min(backoffCap, backoffBase * pow(2, Double(max(0, retry - 1))))
        return exponential * (1 + Double.random(in: 0..<0.5))
    }
}

/// At most `limit` requests in any `window` seconds (a sliding window), shared by every task that
/// uses one credential. A 429 pauses everyone on the credential.
actor RateLimiter {
    private let limit: Int
    /// Read without waiting on the actor: a 429 waits at least this long.
    let window: Double
    private let clock: any CollectClock
    private var sent: [Date] = []
    private var pausedUntil = Date.distantPast

    init(limit: Int, window: Double, clock: any CollectClock) {
        self.limit = max(1, limit)
        self.window = window
        self.clock = clock
    }

    func acquire() async throws {
        while true {
            let now = clock.now()
            if pausedUntil > now {
                try await clock.sleep(seconds: pausedUntil.timeIntervalSince(now))
                continue
            }
            sent.removeAll { now.timeIntervalSince($0) >= window }
            if sent.count < limit {
                sent.append(now)
                return
            }
            let oldest = sent.min() ?? now
            try await clock.sleep(seconds: max(0.000_1, window - now.timeIntervalSince(oldest)))
        }
    }

    /// Nobody on this credential sends for `seconds` (the server said 429).
    func pause(seconds: Double) {
        let until = clock.now().addingTimeInterval(seconds)
        if until > pausedUntil { pausedUntil = until }
    }
}

/// At most `count` scopes collected at once, granted in the order asked.
actor Slots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = max(1, count) }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
