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
    /// What the role gives: the catalog's, or the policy's permission_map for a custom role.
    let capabilities: [CapabilityID]
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

enum Entitlements {
    /// Every grant of the snapshot, in its order (by principal), with what it gives. Roles are
    /// resolved once per distinct label, not once per grant.
    static func all(_ r: ScanResult) -> [Entitlement] {
        let accountOf = Dictionary(
            r.snapshot.organizations.filter { $0.platform == .huntress }.compactMap { o in o.accountID.map { (o.id, $0) } },
            uniquingKeysWith: { a, _ in a })
        let principals = Dictionary(r.snapshot.principals.map { ("\($0.platform.rawValue)|\($0.key)", $0) }, uniquingKeysWith: { a, _ in a })
        let resolver = RoleResolver(snapshot: r.snapshot, catalog: r.catalog, policy: r.policy)
        struct Resolved { let role: CatalogRole?; let capabilities: [CapabilityID]; let tier: RiskTier?; let known: Bool }
        var cache: [RoleResolver.Key: Resolved] = [:]
        return r.snapshot.grants.map { g in
            let key = RoleResolver.Key(g)
            let resolved: Resolved
            if let hit = cache[key] {
                resolved = hit
            } else {
                let (role, caps) = resolver.resolve(g)
                let sorted = (caps ?? []).sorted()
                resolved = Resolved(role: role, capabilities: sorted, tier: sorted.compactMap { r.catalog.tier(of: $0) }.max(), known: caps != nil)
                cache[key] = resolved
            }
            return Entitlement(
                grant: g, principal: principals["\(g.platform.rawValue)|\(g.principal)"], documented: resolved.role,
                capabilities: resolved.capabilities, tier: resolved.tier,
                account: g.platform == .huntress ? (g.level == .account ? g.target : accountOf[g.target]) : nil,
                capabilitiesKnown: resolved.known)
        }
    }
}

extension LastLogin {
    var label: String {
        switch self {
        case .unknown: ""
        case .never: "never"
        case .at(let d): d.iso8601
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
