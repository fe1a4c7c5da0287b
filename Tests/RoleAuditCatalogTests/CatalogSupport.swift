import Foundation
import RoleAuditCatalog
import RoleAuditModel
import Testing

/// The bundled catalog, loaded once for all tests.
enum Bundled {
    static let result = Result { try RoleCatalog.bundled() }
    static func catalog() throws -> RoleCatalog { try result.get() }
}

extension RoleCatalog {
    /// A role the test needs; fails the test (not the process) when it is missing.
    func require(
        _ name: String, _ platform: Platform, _ level: Level, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CatalogRole {
        try #require(role(name, on: platform, level: level), "no \(platform.rawValue) \(level.rawValue) role '\(name)'",
            sourceLocation: sourceLocation)
    }

    func capabilities(atOrAbove tier: RiskTier, of role: CatalogRole) -> Set<CapabilityID> {
        Set(role.grants.map(\.capability).filter { (self.tier(of: $0) ?? .privileged) >= tier })
    }
}

/// `../shared/seeds` beside the checkout, where CI and every developer have the vendor documents.
enum SharedSeeds {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/seeds")
    static var present: Bool { FileManager.default.fileExists(atPath: directory.path) }
}

extension SharedSeeds {
    /// The repository root (README.md lives there).
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
