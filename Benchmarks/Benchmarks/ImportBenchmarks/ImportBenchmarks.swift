import Benchmark
import Foundation
import LargeExports
import RoleAuditKit

/// Large exports are generated once per run into the temporary folder (deterministic, see
/// LargeExports) and read back by `Importer.load` as `roleaudit scan` and `inspect` do.
func export(_ count: Int, organizations: Int = 5000) -> String {
    let path = NSTemporaryDirectory() + "roleaudit-bench-memberships-\(count)-\(organizations).json"
    if !FileManager.default.fileExists(atPath: path) {
        do {
            try LargeExports.huntressMemberships(count: count, organizations: organizations, to: URL(fileURLWithPath: path))
        } catch {
            FileHandle.standardError.write(Data("cannot write \(path): \(error)\n".utf8))
        }
    }
    return path
}

/// The rules alone (`RuleEngine.scan`) on the imported export at `path`: the import is not measured.
func rules(on path: String, _ benchmark: Benchmark) throws {
    let snapshot = try Importer.load([path])
    let catalog = try RoleCatalog.bundled()
    let now = Date(timeIntervalSince1970: 1_795_392_000)
    benchmark.startMeasurement()
    let result = RuleEngine.scan(snapshot: snapshot, catalog: catalog, policy: Policy(), now: now)
    benchmark.stopMeasurement()
    blackHole(result.findings.count)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(120),
        maxIterations: 5)

    for count in [100_000, 1_000_000] {
        Benchmark("Import \(count) Huntress memberships", configuration: .init(maxIterations: count > 100_000 ? 3 : 10)) { benchmark in
            let path = export(count)
            benchmark.startMeasurement()
            let snapshot = try Importer.load([path])
            benchmark.stopMeasurement()
            blackHole(snapshot.grants.count)
        }
        // The rules alone, on the imported snapshot: what a scan adds to the import.
        Benchmark("Rules on \(count) Huntress memberships", configuration: .init(maxIterations: count > 100_000 ? 3 : 10)) { benchmark in
            try rules(on: export(count), benchmark)
        }
    }

    // The rules on 4x the members of 50 organizations: linear is about 4x the time, quadratic 16x.
    // A timing assertion here rather than in the unit tests (it was engineScalesLinearly in
    // Tests/RoleAuditRulesTests/EngineTests.swift, which failed whenever the machine was busy).
    for count in [1_500, 6_000] {
        Benchmark("Rules on \(count) members of 50 organizations", configuration: .init(maxIterations: 20)) { benchmark in
            try rules(on: export(count, organizations: 50), benchmark)
        }
    }
}
