// swift-tools-version:6.1
import PackageDescription

// One module per pipeline stage (see README "Layout"): model <- catalog <- kit <- CLI.
// Later stages (importers, rules, reporters, history) slot in between catalog and kit.
let package = Package(
    name: "roleaudit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "roleaudit", targets: ["roleaudit"]),
        .library(name: "RoleAuditKit", targets: ["RoleAuditKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Live collection (RoleAuditCollect): the HTTP client and the NIO types it speaks in.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Test-only: the mock Huntress and Cortex servers (no dependencies of its own; see README "Collecting from the APIs").
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .target(name: "RoleAuditModel"),
        .target(
            name: "RoleAuditCatalog",
            dependencies: [
                "RoleAuditModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Embedded in the binary (not a resource bundle) so that an installed `roleaudit` is one
            // self-contained file and no lookup of a bundle on disk can fail at run time.
            resources: [
                .embedInCode("Resources/catalog/capabilities.yml"),
                .embedInCode("Resources/catalog/huntress.yml"),
                .embedInCode("Resources/catalog/cortex-xdr.yml"),
                .embedInCode("Resources/catalog/seed_000_3b8203ae780ed25f.txt"),
                .embedInCode("Resources/catalog/seed_003_531c79ba9149ac3a.txt"),
            ]
        ),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(
            name: "RoleAuditImport",
            dependencies: [
                "RoleAuditModel", "CLibXML2",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RoleAuditPolicy",
            dependencies: [
                "RoleAuditModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The access graph: what every principal's grants give, resolved once per snapshot.
        .target(name: "RoleAuditGraph", dependencies: ["RoleAuditModel", "RoleAuditCatalog", "RoleAuditPolicy"]),
        .target(
            name: "RoleAuditRules",
            dependencies: [
                "RoleAuditModel", "RoleAuditCatalog", "RoleAuditPolicy", "RoleAuditGraph",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RoleAuditReports", dependencies: ["RoleAuditModel", "RoleAuditCatalog", "RoleAuditGraph", "RoleAuditRules"],
            // The report's stylesheet and script, inlined into report.html (no file beside it to lose).
            resources: [.embedInCode("HTML/Resources/report.css"), .embedInCode("HTML/Resources/report.js")]),
        // The scan history: the only module that knows SQLite (through GRDB).
        .target(
            name: "RoleAuditHistory",
            dependencies: [
                "RoleAuditModel", "RoleAuditRules", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, as GRDB links it: the findings' rows are bound through it (HistoryStore.insert).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // --redact: pseudonyms for identities (HMAC-SHA-256 with the user's key).
        .target(
            name: "RoleAuditRedaction",
            dependencies: ["RoleAuditModel", "RoleAuditCatalog", "RoleAuditPolicy", "RoleAuditRules", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "RoleAuditKit",
            dependencies: [
                "RoleAuditModel", "RoleAuditCatalog", "RoleAuditImport", "RoleAuditPolicy", "RoleAuditGraph", "RoleAuditRules", "RoleAuditReports",
                "RoleAuditHistory", "RoleAuditRedaction",
            ]
        ),
        // Live collection from the vendors' APIs into export folders and a manifest that the importer verifies.
        .target(
            name: "RoleAuditCollect",
            dependencies: [
                "RoleAuditModel", "RoleAuditImport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "roleaudit",
            dependencies: ["RoleAuditKit", "RoleAuditCollect", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "RoleAuditCatalogTests", dependencies: ["RoleAuditCatalog"]),
        .testTarget(name: "RoleAuditGraphTests", dependencies: ["RoleAuditGraph", "RoleAuditCatalog", "RoleAuditModel", "RoleAuditPolicy"]),
        .testTarget(name: "RoleAuditRulesTests", dependencies: ["RoleAuditRules", "RoleAuditCatalog", "RoleAuditModel", "RoleAuditPolicy", "RoleAuditGraph"]),
        .testTarget(name: "RoleAuditImportTests", dependencies: ["RoleAuditImport", "RoleAuditModel"], exclude: ["Fixtures"]),
        .testTarget(name: "RoleAuditReportsTests", dependencies: ["RoleAuditReports"]),
        .testTarget(
            name: "CollectTests",
            dependencies: [
                "roleaudit", "RoleAuditCollect", "RoleAuditImport", "RoleAuditModel",
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Crypto", package: "swift-crypto"),
                // The TLS front and the CONNECT proxy of the network tests (already resolved for AsyncHTTPClient).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .testTarget(
            name: "CLITests", dependencies: ["roleaudit", "RoleAuditKit", .product(name: "CSV", package: "CSV.swift")],
            exclude: ["Fixtures"]),
    ]
)
