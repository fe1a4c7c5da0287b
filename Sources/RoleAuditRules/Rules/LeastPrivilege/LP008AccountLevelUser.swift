import RoleAuditPolicy
import RoleAuditModel

/// LP-008: the Huntress account-level User role, whose one extra power the vendor may remove.
public struct LP008AccountLevelUser: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-008", title: "Account-level User on Huntress", category: .leastPrivilege, defaultSeverity: .low,
        rationale: "The account-level User differs from the Security Engineer only in that it can create, modify and delete organizations, with fewer security controls; the vendor says it is considering removing that capability. Holders either need organization management (give it through Provisioner) or security work (Security Engineer), not this hybrid.",
        seed: [
            .huntress(93, "Create, modify, and delete organizations"),
            .huntress(94, "This is the only access Users have that Security Engineers do not. We are considering removing this capability from the User role in the future"),
        ],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Give the person Security Engineer (security work) or Provisioner (organization set-up) instead.",
        triggering: [RuleExample("an account-level User", ExampleSnapshot().huntress("jo@msp.example", "User"), flags: ["jo@msp.example"])],
        nonTriggering: [RuleExample("an organization-level User", ExampleSnapshot().huntress("jo@c1.example", "User", org: "10"))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.grants(ofRoles: { $0?.platform == .huntress && $0?.level == .account && $0?.name == "User" }).compactMap { g in
            guard g.platform == .huntress, g.level == .account, c.documentedRole(of: g)?.name == "User" else { return nil }
            return Finding(
                rule: Self.description, platform: .huntress, account: g.target, principal: g.principal, role: "User",
                message: "\(g.principal) is an account-level User: it can delete organizations, a capability the vendor may remove",
                evidence: c.evidence([g]))
        }
    }
}
