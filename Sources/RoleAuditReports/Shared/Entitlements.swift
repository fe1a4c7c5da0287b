import RoleAuditCatalog
import RoleAuditModel
import RoleAuditRules

/// One effective grant as an access review sees it: who, what role where, through which path, what
/// the role gives and how risky that is, and where the export says so. `entitlements.csv` writes a
/// row per entitlement; the HTML report's per-principal section and access matrix read the same.
struct Entitlement: Sendable {
    let grant: Grant
    let principal: Principal?
    /// The catalog's role for a documented label; nil for custom or unknown roles.
    let documented: CatalogRole?
    /// What the role gives (the catalog's, or the policy's permission_map for a custom role), as
    /// capability ids, space-separated.
    let capabilityList: String
    let tier: RiskTier?
    let account: String?

    var organization: String? { grant.platform == .huntress && grant.level == .organization ? grant.target : nil }
    var tenant: String? { grant.platform == .cortexXDR ? grant.target : nil }

    var via: String { grant.path.label }

    /// `documented`, `custom` (mapped through the policy) or `unknown`.
    var roleStatus: String { documented != nil ? "documented" : capabilitiesKnown ? "custom" : "unknown" }
    let capabilitiesKnown: Bool

    var scopeLabel: String {
        switch (grant.platform, grant.level) {
        case (.huntress, .account): "account \(grant.target)"
        case (.huntress, _): "organization \(grant.target)"
        default: "tenant \(grant.target)"
        }
    }
}

/// Every grant of the snapshot with what it gives, in the snapshot's order (grouped by principal).
/// Built once per report run and read by entitlements.csv and report.html. Holds two integers per
/// grant, not a copy of it: an entitlement is assembled when a writer reads it, so a million
/// grants cost 8 MB here rather than a second copy of every grant, principal and role.
struct Entitlements: Sendable {
    private struct Resolution: Sendable {
        let role: CatalogRole?
        /// The capability ids, space-separated, as the reports print them.
        let list: String
        let tier: RiskTier?
        let known: Bool
    }

    let grants: [Grant]
    private let principals: [Principal]
    private let resolutions: [Resolution]
    private let resolutionOf: [Int32]
    /// Index into `principals`, or -1.
    private let principalOf: [Int32]
    private let accountOf: [String: String]

    var count: Int { grants.count }

    /// Roles are resolved once per distinct label and principals looked up once per run of their
    /// grants, not once per grant.
    init(_ r: ScanResult) {
        grants = r.snapshot.grants
        principals = r.snapshot.principals
        accountOf = Dictionary(
            r.snapshot.organizations.filter { $0.platform == .huntress }.compactMap { o in o.accountID.map { (o.id, $0) } },
            uniquingKeysWith: { a, _ in a })
        let resolver = RoleResolver(snapshot: r.snapshot, catalog: r.catalog, policy: r.policy)
        var cache: [RoleResolver.Key: Int32] = [:]
        var resolutions: [Resolution] = []
        var resolutionOf: [Int32] = []
        var principalOf: [Int32] = []
        resolutionOf.reserveCapacity(grants.count)
        principalOf.reserveCapacity(grants.count)
        var finder = PrincipalFinder(principals)
        var last: (platform: Platform, key: String, index: Int32)?
        for g in grants {
            let key = RoleResolver.Key(g)
            if let hit = cache[key] {
                resolutionOf.append(hit)
            } else {
                let (role, caps) = resolver.resolve(g)
                let sorted = (caps ?? []).sorted()
                resolutions.append(Resolution(
                    role: role, list: sorted.map(\.rawValue).joined(separator: " "), tier: sorted.compactMap { r.catalog.tier(of: $0) }.max(), known: caps != nil))
                cache[key] = Int32(resolutions.count - 1)
                resolutionOf.append(Int32(resolutions.count - 1))
            }
            if let last, last.platform == g.platform, last.key == g.principal {
                principalOf.append(last.index)
            } else {
                let index = finder.index(of: g)
                last = (g.platform, g.principal, index)
                principalOf.append(index)
            }
        }
        self.resolutions = resolutions
        self.resolutionOf = resolutionOf
        self.principalOf = principalOf
    }

    /// Finds a grant's principal in the snapshot's list. The snapshot lists principals in the order
    /// its grants are grouped by them (Sources/RoleAuditImport/SnapshotBuilder.swift sorts both by
    /// principal), so the next principal is almost always the one after the last: checked first,
    /// with two string comparisons; a hash table of every principal is built only when that
    /// fails, which saved a million-entry table on a million-membership export.
    private struct PrincipalFinder {
        struct Key: Hashable { let platform: Platform; let key: String }
        let principals: [Principal]
        var next = 0
        var table: [Key: Int32]?

        init(_ principals: [Principal]) { self.principals = principals }

        mutating func index(of g: Grant) -> Int32 {
            if next < principals.count, principals[next].platform == g.platform, principals[next].key == g.principal {
                next += 1
                return Int32(next - 1)
            }
            if table == nil {
                var t: [Key: Int32] = [:]
                t.reserveCapacity(principals.count)
                for (i, p) in principals.enumerated() where t[Key(platform: p.platform, key: p.key)] == nil {
                    t[Key(platform: p.platform, key: p.key)] = Int32(i)
                }
                table = t
            }
            guard let found = table?[Key(platform: g.platform, key: g.principal)] else { return -1 }
            next = Int(found) + 1
            return found
        }
    }

    subscript(i: Int) -> Entitlement {
        let g = grants[i]
        let resolved = resolutions[Int(resolutionOf[i])]
        let p = principalOf[i]
        return Entitlement(
            grant: g, principal: p >= 0 ? principals[Int(p)] : nil, documented: resolved.role,
            capabilityList: resolved.list, tier: resolved.tier,
            account: g.platform == .huntress ? (g.level == .account ? g.target : accountOf[g.target]) : nil,
            capabilitiesKnown: resolved.known)
    }

    /// Whether grant `i` is its principal's first (grants come grouped by principal): integers
    /// compared, not keys.
    func startsPrincipal(_ i: Int) -> Bool {
        guard i > 0 else { return true }
        let a = principalOf[i], b = principalOf[i - 1]
        if a >= 0 || b >= 0 { return a != b }
        return grants[i].platform != grants[i - 1].platform || grants[i].principal != grants[i - 1].principal
    }

    /// The principal of grant `i`, without assembling the entitlement.
    func principal(of i: Int) -> Principal? {
        let p = principalOf[i]
        return p >= 0 ? principals[Int(p)] : nil
    }

    /// The highest risk tier grant `i` carries.
    func tier(of i: Int) -> RiskTier? { resolutions[Int(resolutionOf[i])].tier }
}

extension LastLogin {
    /// `never`, the time, or nothing when unknown.
    func label(_ time: TimeText) -> String {
        switch self {
        case .unknown: ""
        case .never: "never"
        case .at(let d): time(d) ?? ""
        }
    }
}

extension ScanResult {
    /// Why a finding does not fail the gate, in one line: its waiver, or the baseline (in a diff,
    /// the state before the change) that knew it. Nil for an open finding.
    func suppression(of f: Finding) -> String? {
        switch f.status {
        case .waived:
            return waivers.first { $0.id == f.waiver }.map { "waiver \($0.id): \($0.reason) (owner \($0.owner), expires \($0.expires))" } ?? "waived"
        case .baselined:
            let source = baseline.map { changes == nil ? "in the baseline \($0.source)" : "already present before the change (\($0.source))" } ?? "baselined"
            return "known finding: \(source)"
        case .open, .new, .persisting:
            return nil
        }
    }
}

extension Finding.Evidence {
    /// One line of plain text: the detail and, for a grant, where the export says it
    /// (`holds Admin (exports/memberships.json:19 memberships[1])`).
    var withSource: String {
        guard let g = grant else { return detail }
        return "\(detail) (\(g.provenance.file)\(g.provenance.line.map { ":\($0)" } ?? "") \(g.provenance.record))"
    }
}
