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
        let defined = Dictionary(
            r.snapshot.roles.map { ("\($0.platform.rawValue)|\($0.tenant ?? "")|\($0.name.lowercased())", $0) }, uniquingKeysWith: { a, _ in a })
        struct Resolved { let role: CatalogRole?; let capabilities: [CapabilityID]; let tier: RiskTier?; let known: Bool }
        var cache: [String: Resolved] = [:]
        return r.snapshot.grants.map { g in
            let key = "\(g.platform.rawValue)|\(g.level.rawValue)|\(g.platform == .cortexXDR ? g.target : "")|\(g.role)"
            let resolved: Resolved
            if let hit = cache[key] {
                resolved = hit
            } else {
                var caps: Set<CapabilityID>?
                let role = r.catalog.role(of: g)
                if let role {
                    caps = role.capabilities
                } else if let d = defined["\(g.platform.rawValue)|\(g.target)|\(g.role.lowercased())"]
                    ?? defined["\(g.platform.rawValue)||\(g.role.lowercased())"]
                {
                    caps = Set(d.permissions.flatMap { r.policy.permissionMap[$0] ?? [] })
                }
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
