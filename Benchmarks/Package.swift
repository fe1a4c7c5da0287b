// swift-tools-version:6.1
import Foundation
import PackageDescription

// A package of its own, beside roleaudit's, so that CI's `swift test` never builds the benchmark
// harness. Run from this folder: `swift package benchmark` (see the README, "Speed").
// SwiftPM names a path dependency after its folder, so the checkout's folder name is read here.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "roleaudit-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Deterministic large exports: the same arguments give the same bytes.
        .target(name: "LargeExports", path: "Sources/LargeExports"),
        .executableTarget(name: "generate-export", dependencies: ["LargeExports"], path: "Sources/generate-export"),
        .executableTarget(
            name: "ImportBenchmarks",
            dependencies: [
                "LargeExports",
                .product(name: "RoleAuditKit", package: rootIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ImportBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
