import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// What every rule reads: the snapshot, the catalog, the policy and the clock, with the indexes
/// rules need built once, so that no rule loops over pairs of principals.
public struct RuleContext: Sendable {
    public let snapshot: Snapshot
    public let catalog: RoleCatalog
    public let policy: Policy
    public let now: Date
    public let resolver: AccessResolver
    public let domains: DomainModel
    /// Grants per principal, in snapshot order.
    public let grantsByPrincipal: [PrincipalKey: [Grant]]
    public let principals: [PrincipalKey: Principal]
    /// Huntress organization id to its account.
    public let accountOfOrganization: [String: String]
    /// Cortex tenant to customer: policy first, then the exports' manifests.
    public let customerOfTenant: [String: String]
    /// Roles an export defines (custom roles), by platform, tenant and lower-cased name.
    private let definedRoles: [String: RoleDefinition]
    /// Each distinct (platform, level, label) of the snapshot resolved once: rules ask per grant.
    private let documented: [RoleKey: CatalogRole]
    private let capabilityCache: [RoleKey: Set<CapabilityID>]

    struct RoleKey: Hashable, Sendable {
        let platform: Platform
        let level: Level
        let target: String
        let role: String
        init(_ g: Grant) {
            platform = g.platform
            level = g.level
            // Only custom roles depend on the tenant.
            target = g.platform == .cortexXDR ? g.target : ""
            role = g.role
        }
    }

    public struct PrincipalKey: Hashable, Sendable, Comparable {
        public let platform: Platform
        public let key: String
        public static func < (a: PrincipalKey, b: PrincipalKey) -> Bool { (a.platform, a.key) < (b.platform, b.key) }
    }

    public init(snapshot: Snapshot, catalog: RoleCatalog, policy: Policy, now: Date) {
        self.snapshot = snapshot
        self.catalog = catalog
        self.policy = policy
        self.now = now
        resolver = AccessResolver(catalog: catalog, snapshot: snapshot)
        var byPrincipal: [PrincipalKey: [Grant]] = [:]
        for g in snapshot.grants { byPrincipal[PrincipalKey(platform: g.platform, key: g.principal), default: []].append(g) }
        grantsByPrincipal = byPrincipal
        principals = Dictionary(snapshot.principals.map { (PrincipalKey(platform: $0.platform, key: $0.key), $0) }, uniquingKeysWith: { a, _ in a })
        var accounts: [String: String] = [:]
        var customers: [String: String] = [:]
        for o in snapshot.organizations {
            if o.platform == .huntress, let a = o.accountID { accounts[o.id] = a }
            if o.platform == .cortexXDR, let c = o.customer { customers[o.id] = c }
        }
        accountOfOrganization = accounts
        customerOfTenant = customers.merging(policy.customers) { _, policy in policy }
        definedRoles = Dictionary(
            snapshot.roles.map { ("\($0.platform.rawValue)|\($0.tenant ?? "")|\($0.name.lowercased())", $0) }, uniquingKeysWith: { a, _ in a })
        domains = DomainModel(snapshot: snapshot, policy: policy)
        var documented: [RoleKey: CatalogRole] = [:]
        var caps: [RoleKey: Set<CapabilityID>] = [:]
        var seen = Set<RoleKey>()
        for g in snapshot.grants {
            let key = RoleKey(g)
            guard seen.insert(key).inserted else { continue }
            if let role = resolver.role(of: g) {
                documented[key] = role
                caps[key] = role.capabilities
            } else if let defined = definedRoles["\(g.platform.rawValue)|\(g.target)|\(g.role.lowercased())"]
                ?? definedRoles["\(g.platform.rawValue)||\(g.role.lowercased())"]
            {
                caps[key] = Set(defined.permissions.flatMap { policy.permissionMap[$0] ?? [] })
            }
        }
        self.documented = documented
        capabilityCache = caps
    }

    // MARK: roles and capabilities

    /// The documented role a grant names.
    public func documentedRole(of grant: Grant) -> CatalogRole? {
        documented[RoleKey(grant)] ?? (capabilityCache[RoleKey(grant)] == nil ? resolver.role(of: grant) : nil)
    }

    /// A custom role the export defines for the grant's tenant (or platform-wide).
    public func definedRole(of grant: Grant) -> RoleDefinition? {
        let name = grant.role.lowercased()
        return definedRoles["\(grant.platform.rawValue)|\(grant.target)|\(name)"] ?? definedRoles["\(grant.platform.rawValue)||\(name)"]
    }

    /// Capabilities a grant gives: the catalog's for a documented role, the permission map's for a
    /// custom role (nil when neither knows the role).
    public func capabilities(of grant: Grant) -> Set<CapabilityID>? {
        if let cached = capabilityCache[RoleKey(grant)] { return cached }
        if let role = resolver.role(of: grant) { return role.capabilities }
        guard let defined = definedRole(of: grant) else { return nil }
        return Set(defined.permissions.flatMap { policy.permissionMap[$0] ?? [] })
    }

    public func tier(of capabilities: Set<CapabilityID>) -> RiskTier? {
        capabilities.compactMap { catalog.tier(of: $0) }.max()
    }

    /// A grant is privileged when it gives any privileged-tier capability.
    public func isPrivileged(_ grant: Grant) -> Bool {
        capabilities(of: grant).map { tier(of: $0) == .privileged } ?? false
    }

    /// The Huntress account a grant falls under (its own target, or its organization's account).
    public func account(of grant: Grant) -> String? {
        grant.level == .account ? grant.target : accountOfOrganization[grant.target]
    }

    public func principal(_ key: String, on platform: Platform) -> Principal? {
        principals[PrincipalKey(platform: platform, key: key)]
    }

    /// Principals in a stable order with their grants.
    public var sortedPrincipals: [(PrincipalKey, [Grant])] {
        grantsByPrincipal.sorted { $0.key < $1.key }
    }

    public func evidence(_ grants: [Grant], _ detail: (Grant) -> String = { "holds \($0.role)" }) -> [Finding.Evidence] {
        grants.map { .grant($0, detail($0)) }
    }
}

/// Which email domains belong to whom: the MSP's own, and each customer organization's. From the
/// policy where it says so, else inferred from the data, and then marked as inferred.
public struct DomainModel: Sendable {
    /// Personal mail providers belong to nobody's organization.
    public static let publicProviders: Set<String> = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "icloud.com",
        "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.net", "mail.com", "zoho.com", "yandex.com",
    ]

    public let mspDomains: Set<String>
    public let mspInferred: Bool
    /// Customer domain to Huntress organization id.
    public let organizationOf: [String: String]
    public let inferredDomains: Set<String>

    init(snapshot: Snapshot, policy: Policy) {
        var accountLevel: [String: Set<String>] = [:]
        var orgMembers: [String: [String: Set<String>]] = [:]  // domain -> org -> principals
        for g in snapshot.grants where g.platform == .huntress {
            guard let domain = DomainModel.domain(of: g.principal) else { continue }
            if g.level == .account {
                accountLevel[domain, default: []].insert(g.principal)
            } else {
                orgMembers[domain, default: [:]][g.target, default: []].insert(g.principal)
            }
        }
        if !policy.mspDomains.isEmpty {
            mspDomains = Set(policy.mspDomains)
            mspInferred = false
        } else {
            // The domain most account-level members use, if it is most of them.
            let total = accountLevel.values.reduce(0) { $0 + $1.count }
            let top = accountLevel.filter { !DomainModel.publicProviders.contains($0.key) }.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }
            mspDomains = top.map { 2 * $0.value.count > total ? [$0.key] : [] } ?? []
            mspInferred = true
        }
        var owner: [String: String] = [:]
        var inferred: Set<String> = []
        for (org, domains) in policy.orgDomains {
            for d in domains { owner[d] = org }
        }
        for (domain, orgs) in orgMembers where owner[domain] == nil && !mspDomains.contains(domain)
            && !DomainModel.publicProviders.contains(domain)
        {
            let total = orgs.values.reduce(0) { $0 + $1.count }
            // A clear majority of the domain's organization-level members sit in one organization.
            if let best = orgs.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }), 2 * best.value.count > total {
                owner[domain] = best.key
                inferred.insert(domain)
            }
        }
        organizationOf = owner
        inferredDomains = inferred
    }

    public static func domain(of email: String) -> String? {
        guard let at = email.lastIndex(of: "@") else { return nil }
        let d = email[email.index(after: at)...].lowercased()
        return d.isEmpty ? nil : d
    }

    /// Neither the MSP's nor a known customer's, nor public mail: or public mail.
    public func isExternal(_ domain: String) -> Bool {
        !mspDomains.contains(domain) && organizationOf[domain] == nil
    }

    /// The assumption a finding resting on this domain must state, if any.
    public func assumption(for domain: String) -> String? {
        inferredDomains.contains(domain)
            ? "\(domain) is taken to belong to organization \(organizationOf[domain] ?? "?") because most of its organization-level members sit there (set org_domains in the policy to say so)"
            : nil
    }
}
