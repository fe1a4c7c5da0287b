import RoleAuditModel
import RoleAuditPolicy

/// LP-007: a role above the ceiling the policy sets for an email domain or a group.
public struct LP007RoleAboveCeiling: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-007", title: "Role above ceiling", category: .leastPrivilege, defaultSeverity: .high,
        rationale: "Some people should never hold more than a given level whatever their job title: contractors on personal mail, auditors, a vendor's staff. The policy's ceilings say so per email domain (or any external domain) or Cortex group; a role with a capability above the ceiling's tier breaks it.",
        seed: [.huntress(119, "Read-only users can see everything an Account-level User can, but cannot modify, delete, or add anything")],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Give the principal a role within the ceiling (for `max_tier: read`, Read-only on Huntress, Viewer on Cortex), or change the policy if the ceiling is wrong.",
        triggering: [
            RuleExample("a Gmail contractor with the organization-level User role", ExampleSnapshot()
                .huntress("ops@msp.example", "Admin").huntress("sam@gmail.com", "User", org: "10"),
                policy: { var p = Policy(); p.ceilings = [.init(name: "external read-only", domains: [], external: true, groups: [], maxTier: .read, line: 1)]; return p }(),
                flags: ["sam@gmail.com"]),
        ],
        nonTriggering: [
            RuleExample("the contractor is Read-only", ExampleSnapshot()
                .huntress("ops@msp.example", "Admin").huntress("sam@gmail.com", "Read-only", org: "10"),
                policy: { var p = Policy(); p.ceilings = [.init(name: "external read-only", domains: [], external: true, groups: [], maxTier: .read, line: 1)]; return p }()),
            RuleExample("no ceilings, no findings", ExampleSnapshot().huntress("sam@gmail.com", "Admin", org: "10")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        guard !c.policy.ceilings.isEmpty else { return [] }
        var out: [Finding] = []
        for (who, grants) in c.sortedPrincipals {
            let domain = DomainModel.domain(of: who.key) ?? ""
            for ceiling in c.policy.ceilings {
                let byDomain = ceiling.domains.contains(domain) || (ceiling.external && !domain.isEmpty && c.domains.isExternal(domain))
                for g in grants {
                    let byGroup = g.path.groupName.map(ceiling.groups.contains) ?? false
                    guard byDomain || byGroup, let caps = c.capabilities(of: g), let tier = c.tier(of: caps), tier > ceiling.maxTier else { continue }
                    let above = caps.filter { (c.catalog.tier(of: $0) ?? .read) > ceiling.maxTier }.sorted().prefix(5).map(\.rawValue)
                    out.append(Finding(
                        rule: Self.description, platform: who.platform, account: who.platform == .huntress ? c.account(of: g) : nil,
                        organization: g.level == .organization ? g.target : nil, tenant: who.platform == .cortexXDR ? g.target : nil,
                        principal: who.key, role: g.role,
                        message: "\(who.key) holds \(g.role) (\(tier.rawValue)) above the ceiling '\(ceiling.name)' (at most \(ceiling.maxTier.rawValue)): \(above.joined(separator: ", "))",
                        evidence: c.evidence([g]),
                        assumptions: ceiling.external ? [c.domains.assumption(for: domain), c.domains.mspInferred ? "the MSP's own domains were inferred (set msp_domains)" : nil].compactMap { $0 } : []))
                }
            }
        }
        return out
    }
}
