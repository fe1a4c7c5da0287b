import Foundation
import RoleAuditCatalog
import RoleAuditGraph
import RoleAuditModel
import RoleAuditPolicy

/// What every rule reads: the snapshot, the catalog, the policy and the clock, with the access
/// graph (what every grant gives, resolved once) and the indexes rules need, so that no rule loops
/// over pairs of principals.
public struct RuleContext: Sendable {
    public let snapshot: Snapshot
    public let catalog: RoleCatalog
    public let policy: Policy
    public let now: Date
    public let domains: DomainModel
    /// Who holds what and what it gives: every lookup below reads it.
    public let graph: AccessGraph
    /// Every principal that holds a grant, sorted, with its grants (the graph's runs).
    public let sortedPrincipals: [(PrincipalKey, ArraySlice<Grant>)]
    /// Platforms where some principal has a known last login: elsewhere the last-login rules have
    /// nothing to read (Huntress exports carry none).
    public let platformsWithLogins: Set<Platform>
    /// Cortex tenant to customer: policy first, then the exports' manifests.
    public let customerOfTenant: [String: String]
    /// The graph's, held here too (not computed per access: rules read them in their inner loops).
    /// The snapshot's grants sorted by principal (as imports give them); positions in rules refer to it.
    public let grantsByPrincipal: [Grant]
    /// Huntress organization id to its account.
    public let accountOfOrganization: [String: String]
    /// Documented and custom roles: what each grant's role gives.
    public let roles: RoleResolver
    /// The HR roster (`--roster`), if one was given.
    public let roster: Roster?
    /// The last access review (`--certification`), if one was given.
    public let certification: Certification?

    public typealias PrincipalKey = PrincipalID

    public init(snapshot: Snapshot, catalog: RoleCatalog, policy: Policy, now: Date, roster: Roster? = nil, certification: Certification? = nil) {
        self.roster = roster
        self.certification = certification
        self.snapshot = snapshot
        self.catalog = catalog
        self.policy = policy
        self.now = now
        var customers: [String: String] = [:]
        for o in snapshot.organizations where o.platform == .cortexXDR {
            if let c = o.customer { customers[o.id] = c }
        }
        customerOfTenant = customers.merging(policy.customers) { _, policy in policy }
        // The graph and the domain model are independent passes over every grant: on two cores
        // they are built side by side.
        let grants = AccessGraph.sortedByPrincipal(snapshot.grants)
        let (domains, graph) = Parallel.both(
            { DomainModel(grants: grants, policy: policy) },
            { AccessGraph(snapshot: snapshot, grants: grants, catalog: catalog, policy: policy) })
        self.domains = domains
        self.graph = graph
        grantsByPrincipal = graph.grants
        accountOfOrganization = graph.accountOfOrganization
        roles = graph.resolver
        sortedPrincipals = graph.principals.indices.map { (graph.principals[$0], graph.grants[graph.grantRange[$0]]) }
        var withLogins: Set<Platform> = []
        for p in snapshot.principals where p.lastLogin != .unknown { withLogins.insert(p.platform) }
        platformsWithLogins = withLogins
    }

    /// Whether organization-level grants name more than one organization. Fields are read by index:
    /// iterating grants copies each (a retain per reference it holds), which on a million
    /// principals cost more than the test itself.
    public static func spansSeveralOrganizations(_ grants: ArraySlice<Grant>) -> Bool {
        var first: String?
        for i in grants.indices where grants[i].level == .organization {
            if let first { if grants[i].target != first { return true } } else { first = grants[i].target }
        }
        return false
    }

    /// The grants whose documented role satisfies `test` (nil: the role is not documented), in
    /// principal order.
    public func grants(ofRoles test: (CatalogRole?) -> Bool) -> [Grant] {
        graph.roles.indices.filter { test(graph.roles[$0].documented) }.flatMap { graph.grantsOfRole[$0] }.sorted().map { graph.grants[$0] }
    }

    /// The positions in `grantsByPrincipal` of the grants of each role `test` accepts, role by role
    /// (in the order of each role's first grant): for rules that read a few fields of very many
    /// grants and should not copy them.
    public func grantPositionsByRole(_ test: (CatalogRole?) -> Bool) -> [(role: CatalogRole?, positions: [Int])] {
        graph.roles.indices.compactMap { id in test(graph.roles[id].documented) ? (graph.roles[id].documented, graph.grantsOfRole[id]) : nil }
    }

    /// The same, with the grants themselves.
    public func grantsByRole(_ test: (CatalogRole?) -> Bool) -> [(role: CatalogRole?, grants: [Grant])] {
        grantPositionsByRole(test).map { role, at in (role, at.map { graph.grants[$0] }) }
    }

    // MARK: roles and capabilities

    /// The documented role a grant names.
    public func documentedRole(of grant: Grant) -> CatalogRole? { graph.resolution(of: grant).documented }

    /// A custom role the export defines for the grant's tenant (or platform-wide).
    public func definedRole(of grant: Grant) -> RoleDefinition? { roles.definedRole(of: grant) }

    /// Capabilities a grant gives: the catalog's for a documented role, the permission map's for a
    /// custom role (nil when neither knows the role).
    public func capabilities(of grant: Grant) -> Set<CapabilityID>? { graph.resolution(of: grant).capabilities }

    /// What several grants give together (the escalation rules compare it with what a role reaches).
    public func capabilities<S: Sequence<Grant>>(ofAll grants: S) -> Set<CapabilityID> {
        grants.reduce(into: Set<CapabilityID>()) { $0.formUnion(capabilities(of: $1) ?? []) }
    }

    public func tier(of capabilities: Set<CapabilityID>) -> RiskTier? {
        capabilities.compactMap { catalog.tier(of: $0) }.max()
    }

    /// A grant is privileged when it gives any privileged-tier capability.
    public func isPrivileged(_ grant: Grant) -> Bool { graph.resolution(of: grant).isPrivileged }

    /// The Huntress account a grant falls under (its own target, or its organization's account).
    public func account(of grant: Grant) -> String? { graph.account(of: grant) }

    /// A principal by key.
    public func principal(_ key: String, on platform: Platform) -> Principal? { graph.record(PrincipalKey(platform: platform, key: key)) }

    /// The principals of one platform with their grants: a range of the sorted runs (platform is
    /// the first sort key), so a Cortex-only rule does not walk a million Huntress principals.
    public func sortedPrincipals(on platform: Platform) -> ArraySlice<(PrincipalKey, ArraySlice<Grant>)> {
        func boundary(_ below: (Platform) -> Bool) -> Int {
            var (low, high) = (0, sortedPrincipals.count)
            while low < high {
                let mid = (low + high) / 2
                if below(sortedPrincipals[mid].0.platform) { low = mid + 1 } else { high = mid }
            }
            return low
        }
        return sortedPrincipals[boundary { $0 < platform }..<boundary { $0 <= platform }]
    }

    /// For LP-002 and LP-003: each principal whose last login passes `test`, on the platforms whose
    /// exports carry logins, with its privileged grants grouped by tenant (tenants sorted).
    public func privilegedGrantsByTarget(
        lastLogin test: (LastLogin) -> Bool
    ) -> [(who: PrincipalKey, lastLogin: LastLogin, target: String, grants: [Grant])] {
        // By position in the graph: resolving each grant by its label (a hash of four strings),
        // finding each principal's record by search and copying the context into a filter closure
        // per principal were a fifth of a scan of a Cortex tenant of 50,000 users.
        var out: [(who: PrincipalKey, lastLogin: LastLogin, target: String, grants: [Grant])] = []
        let g = graph, grants = graph.grants
        for platform in platformsWithLogins.sorted() {
            for id in sortedPrincipals(on: platform).indices {
                let record = Int(g.recordOf[id])
                guard record >= 0 else { continue }
                var privileged: [Int] = []
                for i in g.grantRange[id] where g.roles[Int(g.roleOf[i])].isPrivileged { privileged.append(i) }
                guard !privileged.isEmpty else { continue }
                let who = g.principals[id]
                // Each tenant by the user's last login there (Principal.lastLogin(in:)); tenants
                // sorted, a tenant's grants in the graph's order.
                // (The closure holds the one array, not a copy of the whole graph per principal.)
                privileged.sort { (grants[$0].target, $0) < (grants[$1].target, $1) }
                var start = 0
                while start < privileged.count {
                    let target = grants[privileged[start]].target
                    var end = start + 1
                    while end < privileged.count, grants[privileged[end]].target == target { end += 1 }
                    let login = g.records[record].lastLogin(in: who.platform == .cortexXDR ? target : nil)
                    if test(login) { out.append((who, login, target, privileged[start..<end].map { grants[$0] })) }
                    start = end
                }
            }
        }
        return out
    }

    /// A principal's grants.
    public func grants(of key: String, on platform: Platform) -> ArraySlice<Grant> { graph.grants(of: PrincipalKey(platform: platform, key: key)) }

    /// Every principal of the snapshot, sorted.
    public var allPrincipals: [Principal] { graph.records }

    public func evidence<C: Collection<Grant>>(_ grants: C, _ detail: (Grant) -> String = { "holds \($0.role)" }) -> [Finding.Evidence] {
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
    /// Customer domain to its Huntress organization ids, sorted: one, unless the policy lists the
    /// domain for several organizations (a customer with several organizations), in which case
    /// membership in any of them is at home. Never a choice between them, so never a flip between runs.
    public let organizationsOf: [String: [String]]
    public let inferredDomains: Set<String>
    /// Where (in principal order) an organization-level membership starts whose organization is not
    /// the one its member's domain belongs to: ISO-003 visits these instead of every principal.
    public let foreignMemberships: [Int]

    init(grants: [Grant], policy: Policy) {
        var accountLevel: [String: Set<String>] = [:]
        // (domain, org) -> where its memberships start, flat (one hash per membership, not two).
        // Grants come grouped by principal, so the domain is cut once per principal and a
        // principal's repeated memberships of one organization are skipped by remembering the last
        // (principal, org). Fields are read by index: copying each grant costs more than the rest.
        struct DomainOrg: Hashable { let domain: String, org: String }
        var members: [DomainOrg: [Int]] = [:]
        var last: (principal: String, domain: String?, org: String) = ("", nil, "")
        for i in grants.indices where grants[i].platform == .huntress {
            if grants[i].principal != last.principal {
                last = (grants[i].principal, DomainModel.domain(of: grants[i].principal), "")
            }
            guard let domain = last.domain else { continue }
            if grants[i].level == .account {
                accountLevel[domain, default: []].insert(last.principal)
            } else if last.org != grants[i].target {
                last.org = grants[i].target
                members[DomainOrg(domain: domain, org: last.org), default: []].append(i)
            }
        }
        var orgMembers: [String: [String: Int]] = [:]
        for (key, at) in members { orgMembers[key.domain, default: [:]][key.org] = at.count }
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
        var owners: [String: Set<String>] = [:]
        var inferred: Set<String> = []
        for (org, domains) in policy.orgDomains {
            for d in domains { owners[d.lowercased(), default: []].insert(org) }
        }
        var owner = owners.mapValues { $0.sorted() }
        for (domain, orgs) in orgMembers where owner[domain] == nil && !mspDomains.contains(domain)
            && !DomainModel.publicProviders.contains(domain)
        {
            let total = orgs.values.reduce(0, +)
            // A clear majority of the domain's organization-level members sit in one organization.
            if let best = orgs.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), 2 * best.value > total {
                owner[domain] = [best.key]
                inferred.insert(domain)
            }
        }
        organizationsOf = owner
        inferredDomains = inferred
        foreignMemberships = members.filter { key, _ in owner[key.domain].map { !$0.contains(key.org) } ?? false }.values.flatMap { $0 }.sorted()
    }

    public static func domain(of email: String) -> String? {
        guard let at = email.utf8.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let d = email.utf8[email.utf8.index(after: at)...]
        guard !d.isEmpty else { return nil }
        // Principal keys are lower-cased already: copy without lower-casing again.
        return d.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }) ? String(Substring(d)).lowercased() : String(Substring(d))
    }

    /// Neither the MSP's nor a known customer's, nor public mail: or public mail.
    public func isExternal(_ domain: String) -> Bool {
        !mspDomains.contains(domain) && organizationsOf[domain] == nil
    }

    /// The assumption a finding resting on this domain must state, if any.
    public func assumption(for domain: String) -> String? {
        inferredDomains.contains(domain)
            ? "\(domain) is taken to belong to organization \(organizationsOf[domain]?.joined(separator: ", ") ?? "?") because most of its organization-level members sit there (set org_domains in the policy to say so)"
            : nil
    }
}
