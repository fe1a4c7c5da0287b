import RoleAuditModel

/// What a principal can do: the union of its grants' documented capabilities, each capability with
/// every grant that gives it (and the catalog statement behind it).
public struct EffectiveAccess: Sendable {
    public struct Source: Sendable {
        public let grant: Grant
        public let role: CatalogRole
        public let statement: CapabilityGrant
    }

    public let platform: Platform
    public let principal: String
    public let capabilities: [CapabilityID: [Source]]
    /// Grants of roles the catalog does not document (custom or unknown labels): their capabilities
    /// come from the policy's permission map, or stay unknown.
    public let undocumented: [Grant]

    public var sortedCapabilities: [(CapabilityID, [Source])] {
        capabilities.sorted { $0.key < $1.key }
    }
}

/// Resolves grants against the catalog, indexing the snapshot once so that asking for every
/// principal stays linear in the number of grants.
public struct AccessResolver: Sendable {
    public let catalog: RoleCatalog
    private let grantsByPrincipal: [PrincipalID: [Grant]]

    public init(catalog: RoleCatalog, snapshot: Snapshot) {
        self.catalog = catalog
        grantsByPrincipal = Dictionary(grouping: snapshot.grants) { PrincipalID(platform: $0.platform, key: $0.principal) }
    }

    /// The documented role a grant names, if any.
    public func role(of grant: Grant) -> CatalogRole? { catalog.role(of: grant) }

    public func grants(of principal: String, on platform: Platform) -> [Grant] {
        grantsByPrincipal[PrincipalID(platform: platform, key: principal)] ?? []
    }

    public func access(of principal: String, on platform: Platform) -> EffectiveAccess {
        var capabilities: [CapabilityID: [EffectiveAccess.Source]] = [:]
        var undocumented: [Grant] = []
        for grant in grants(of: principal, on: platform) {
            guard let role = role(of: grant) else {
                undocumented.append(grant)
                continue
            }
            for statement in role.grants {
                capabilities[statement.capability, default: []].append(.init(grant: grant, role: role, statement: statement))
            }
        }
        return EffectiveAccess(platform: platform, principal: principal, capabilities: capabilities, undocumented: undocumented)
    }
}
