import RoleAuditModel

/// The documented roles of both platforms, their capabilities, and the seed passages behind every
/// statement. Loaded once from data embedded in the binary.
public struct RoleCatalog: Sendable {
    /// Bumped by hand when the catalog's meaning changes; the digest of the data follows it.
    static let dataVersion = "2026.12"

    /// `dataVersion+digest`: reports print it so a finding can be traced to the exact catalog.
    public let version: String
    public let capabilities: [CapabilityID: Capability]
    public let roles: [CatalogRole]
    public let seeds: [SeedDocument]
    public let matrices: [MatrixTable]
    /// The passages of the seeds that read two ways, with the cells that rest on them.
    public let passages: [ContestedPassage]
    /// Roles by platform and normalised name or alias: lookups run once per grant.
    private let byName: [Label: [CatalogRole]]

    private struct Label: Hashable {
        let platform: Platform
        let label: String
    }

    init(
        version: String, capabilities: [CapabilityID: Capability], roles: [CatalogRole], seeds: [SeedDocument], matrices: [MatrixTable],
        passages: [ContestedPassage]
    ) {
        self.version = version
        self.capabilities = capabilities
        self.roles = roles
        self.seeds = seeds
        self.matrices = matrices
        self.passages = passages
        var index: [Label: [CatalogRole]] = [:]
        for role in roles {
            for label in Set([role.name] + role.aliases).map(CatalogRole.normalize) {
                index[Label(platform: role.platform, label: label), default: []].append(role)
            }
        }
        byName = index
    }

    /// The catalog built into roleaudit.
    public static func bundled() throws -> RoleCatalog {
        try load(
            capabilitiesFile: EmbeddedCatalog.capabilities, platformFiles: EmbeddedCatalog.platforms,
            seeds: EmbeddedCatalog.seeds)
    }

    public func roles(on platform: Platform) -> [CatalogRole] {
        roles.filter { $0.platform == platform }
    }

    /// The documented role a vendor label names. Huntress labels are the same at both levels
    /// ("Admin"), so the level decides; Cortex role names are unique, so the level is a hint.
    public func role(_ label: String, on platform: Platform, level: Level? = nil) -> CatalogRole? {
        let named = byName[Label(platform: platform, label: CatalogRole.normalize(label))] ?? []
        if let level, let exact = named.first(where: { $0.level == level }) { return exact }
        return platform == .huntress && level != nil ? nil : named.first
    }

    /// The documented role a grant names: Huntress labels need the level ("Admin" exists at both),
    /// Cortex names are unique.
    public func role(of grant: Grant) -> CatalogRole? {
        role(grant.role, on: grant.platform, level: grant.platform == .huntress ? grant.level : nil)
    }

    public func tier(of capability: CapabilityID) -> RiskTier? { capabilities[capability]?.tier }

    /// A role is privileged when it holds any privileged-tier capability.
    public func isPrivileged(_ role: CatalogRole) -> Bool {
        role.grants.contains { tier(of: $0.capability) == .privileged }
    }

    public func seed(_ file: String) -> SeedDocument? { seeds.first { $0.file == file } }

    public func passage(_ id: String) -> ContestedPassage? { passages.first { $0.id == id } }
}
