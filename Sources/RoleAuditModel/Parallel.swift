import Foundation

/// Work split over the cores, with results put back in a fixed order so that output never depends
/// on which part finished first: the rules (RuleEngine), the access graph and domain model
/// (RuleContext), and the findings of findings.json (JSONOutput).
public enum Parallel {
    private final class Slots<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [T?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func put(_ i: Int, _ value: T) { lock.withLock { values[i] = value } }
        var all: [T?] { lock.withLock { values } }
    }

    /// `body(i)` for every i in 0..<count, concurrently; the results in index order.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { slots.put($0, body($0)) }
        return slots.all.compactMap { $0 }
    }

    private enum Either<A: Sendable, B: Sendable>: Sendable { case a(A), b(B) }

    /// Both closures, concurrently.
    public static func both<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        let results = map(2) { $0 == 0 ? Either<A, B>.a(a()) : Either<A, B>.b(b()) }
        // Every slot is filled before concurrentPerform returns; should that ever not hold, compute
        // again in order rather than stop.
        guard results.count == 2, case .a(let x) = results[0], case .b(let y) = results[1] else { return (a(), b()) }
        return (x, y)
    }
}
