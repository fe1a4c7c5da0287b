// swift-tools-version:6.1
import Foundation
import PackageDescription

// libFuzzer harnesses for roleaudit's readers, in a package of their own so that neither
// `swift test` nor CI's build ever builds them: they need `-sanitize=fuzzer,address`, which
// `Fuzz/run` passes (see the README, "Fuzzing").
// SwiftPM names a path dependency after its folder, so the checkout's folder name is read here.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()
let kit = Target.Dependency.product(name: "RoleAuditKit", package: rootIdentity)

let package = Package(
    name: "roleaudit-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        // libFuzzer's driver, declared for Swift.
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        // What every harness shares: reading an input as the CLI does, and failing loudly.
        .target(name: "FuzzSupport", dependencies: [kit, "CLibFuzzer"], path: "Sources/FuzzSupport"),
        .executableTarget(name: "fuzz-json", dependencies: ["FuzzSupport"], path: "Sources/fuzz-json"),
        .executableTarget(name: "fuzz-csv", dependencies: ["FuzzSupport"], path: "Sources/fuzz-csv"),
        .executableTarget(name: "fuzz-xml", dependencies: ["FuzzSupport"], path: "Sources/fuzz-xml"),
        .executableTarget(name: "fuzz-policy", dependencies: ["FuzzSupport"], path: "Sources/fuzz-policy"),
    ]
)
