import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// LP-005: a grant whose capabilities another grant of the same principal already gives.
public struct LP005RedundantGrant: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-005", title: "Redundant grant", category: .leastPrivilege, defaultSeverity: .low,
        rationale: "A grant that adds nothing still has to be removed when the other one is: left behind, it keeps the access alive. Typical cases are a direct Cortex role beside a group that gives as much, and a Huntress organization-level membership under an account-level Admin or Security Engineer, the two roles the vendor says reach every organization. Advice to remove a grant must not cut real access, so the covering grant counts only what the documentation says without doubt: no capability whose passage reads two ways, and no account-level reach but line 10's.",
        seed: [
            .huntress(10, "Account-level Admins and Security Engineers can access any organizations under the account"),
            .cortex(9, "All permissions and roles are specific to the tenant"),
        ],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Remove the redundant grant so that removing the broader one removes the access.",
        triggering: [
            RuleExample("direct Investigator beside a Responder group", ExampleSnapshot()
                .cortex("a@corp.example", "Investigator").group("SOC", role: "Responder", members: ["a@corp.example"]), flags: ["a@corp.example"]),
            RuleExample("organization Read-only under account Admin", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("a@msp.example", "Read-only", org: "10"), flags: ["a@msp.example"]),
        ],
        nonTriggering: [
            RuleExample("two roles that each add something", ExampleSnapshot()
                .cortex("a@corp.example", "Compliance Administrator").group("SOC", role: "Responder", members: ["a@corp.example"])),
            RuleExample("same role in two tenants", ExampleSnapshot()
                .cortex("a@corp.example", "Investigator", tenant: "t1").cortex("a@corp.example", "Investigator", tenant: "t2")),
            RuleExample("a scoped grant does not cover an unscoped one", ExampleSnapshot()
                .cortex("a@corp.example", "Scoped Agent Admin", scope: ["East"]).group("Ops", role: "Investigator", members: ["a@corp.example"])),
            RuleExample("account Read-only reaches every organization only on the broad reading of line 10", ExampleSnapshot()
                .huntress("a@msp.example", "Read-only").huntress("a@msp.example", "Read-only", org: "10")),
            RuleExample("a Privileged Security Admin's threat intel rests on one sentence of line 33", ExampleSnapshot()
                .cortex("a@corp.example", "Privileged Security Admin").group("SOC", role: "Responder", members: ["a@corp.example"])),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (who, grants) in c.sortedPrincipals where grants.count > 1 {
            // Each grant's capabilities, and those of them the documentation states without doubt.
            let known = grants.compactMap { g in c.capabilities(of: g).map { (g, $0, Self.undoubted(g, $0, c)) } }.filter { !$0.1.isEmpty }
            for (i, (g, caps, sure)) in known.enumerated() {
                let cover = known.enumerated().first { j, other in
                    guard j != i, covers(other.0, g, c) else { return false }
                    // The same capabilities read the same way: one of the two is redundant; keep the
                    // first in a stable order.
                    if other.1 == caps && other.2 == sure { return Self.rank(other.0) < Self.rank(g) }
                    return caps.isSubset(of: other.2)
                }
                guard let (_, (by, _, _)) = cover else { continue }
                out.append(Finding(
                    rule: Self.description, platform: who.platform, account: who.platform == .huntress ? c.account(of: g) : nil,
                    organization: g.level == .organization ? g.target : nil, tenant: who.platform == .cortexXDR ? g.target : nil,
                    principal: who.key, role: g.role,
                    message: "\(who.key): \(g.role) \(Self.where_(g)) gives nothing that \(by.role) \(Self.where_(by)) does not already give",
                    evidence: [.grant(g, "redundant"), .grant(by, "already gives every capability")]))
            }
        }
        return out
    }

    /// Whether `broad` reaches everything `narrow` reaches: same Cortex tenant (and no narrower
    /// scope), or a Huntress account-level role that sees every organization of the account.
    private func covers(_ broad: Grant, _ narrow: Grant, _ c: RuleContext) -> Bool {
        guard broad.platform == narrow.platform, broad != narrow else { return false }
        if broad.platform == .cortexXDR {
            guard broad.target == narrow.target else { return false }
            return broad.scope == nil || broad.scope == narrow.scope
        }
        if broad.level == narrow.level { return broad.target == narrow.target }
        guard broad.level == .account, narrow.level == .organization, c.account(of: narrow) == broad.target else { return false }
        // Line 10 states this reach for Admins and Security Engineers only.
        guard let reach = c.documentedRole(of: broad)?.grant("organizations.view_all") else { return false }
        return reach.basis == .stated && !reach.isAmbiguous
    }

    /// A grant's capabilities less those its documented role holds on one reading only.
    static func undoubted(_ g: Grant, _ caps: Set<CapabilityID>, _ c: RuleContext) -> Set<CapabilityID> {
        guard let role = c.documentedRole(of: g) else { return caps }
        return caps.subtracting(role.grants.filter(\.isAmbiguous).map(\.capability))
    }

    /// Direct grants first, then by place and role: decides which of two equal grants is kept.
    static func rank(_ g: Grant) -> String {
        "\(g.path == .direct ? 0 : 1)|\(g.level.rawValue)|\(g.target)|\(g.role)|\(g.path.groupName ?? "")|\(g.provenance)"
    }

    static func where_(_ g: Grant) -> String {
        switch g.path {
        case .direct: "(\(g.level.rawValue) \(g.target))"
        case .group(let name, _): "(through group \(name) in \(g.target))"
        }
    }
}
