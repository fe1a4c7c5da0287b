import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// What a grant's role gives: the catalog's documented role, else a custom role the export
/// defines for the grant's tenant (or platform-wide), mapped through the policy's permission_map.
/// The access graph resolves each distinct label through it once (Sources/RoleAuditGraph/AccessGraph.swift).
public struct RoleResolver: Sendable {
    /// A grant's role label as far as resolution depends on it: callers resolve each key once.
    public struct Key: Hashable, Sendable {
        let platform: Platform
        let level: Level
        let target: String
        let role: String
        public init(_ g: Grant) { self.init(platform: g.platform, level: g.level, target: g.target, role: g.role) }
        public init(platform: Platform, level: Level, target: String, role: String) {
            self.platform = platform
            self.level = level
            // Only custom roles depend on the tenant.
            self.target = platform == .cortexXDR ? target : ""
            self.role = role
        }
    }

    public let catalog: RoleCatalog
    private let permissionMap: [String: [CapabilityID]]
    /// By platform, tenant and lower-cased name.
    private let definedRoles: [RoleID: RoleDefinition]

    public init(snapshot: Snapshot, catalog: RoleCatalog, policy: Policy) {
        self.catalog = catalog
        permissionMap = policy.permissionMap
        definedRoles = Dictionary(
            snapshot.roles.map { (RoleID(platform: $0.platform, tenant: $0.tenant, name: $0.name), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A custom role the export defines for the grant's tenant (or platform-wide).
    public func definedRole(of grant: Grant) -> RoleDefinition? {
        definedRoles[RoleID(platform: grant.platform, tenant: grant.target, name: grant.role)]
            ?? definedRoles[RoleID(platform: grant.platform, tenant: nil, name: grant.role)]
    }

    /// The documented role, and the capabilities the grant gives (nil when neither the catalog nor
    /// the export knows the role).
    public func resolve(_ grant: Grant) -> (documented: CatalogRole?, capabilities: Set<CapabilityID>?) {
        if let role = catalog.role(of: grant) { return (role, role.capabilities) }
        guard let defined = definedRole(of: grant) else { return (nil, nil) }
        return (nil, capabilities(of: defined))
    }

    /// What a custom role gives: its permissions through the policy's permission_map (a permission
    /// the map lacks gives nothing known; CAT-003 reports it).
    public func capabilities(of defined: RoleDefinition) -> Set<CapabilityID> {
        Set(defined.permissions.flatMap { permissionMap[$0] ?? [] })
    }

    /// The permissions of a custom role the policy's permission_map does not map, sorted.
    public func unmappedPermissions(of defined: RoleDefinition) -> [String] {
        defined.permissions.filter { permissionMap[$0] == nil }.sorted()
    }
}
