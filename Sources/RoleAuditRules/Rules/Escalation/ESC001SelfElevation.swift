import RoleAuditPolicy
import RoleAuditModel

/// ESC-001: a principal who can give itself, or an account it creates, a more powerful role.
public struct ESC001SelfElevation: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ESC-001", title: "Can self-elevate", category: .escalation, defaultSeverity: .critical,
        rationale: "A Huntress Provisioner can create organization-level users and assign any role, Admin included, in every organization: it can make itself (or a second account it controls) organization-level Admin anywhere, far beyond its own role. A custom Cortex role mapped to access management can do the same with Instance Administrator.",
        seed: [
            .huntress(76, "Create, update, and remove org-level users, and assign any role (including Admin) at the org level"),
            .cortex(20, "the Instance Administrator can assign those roles with scopes to other users"),
        ],
        frameworks: ["NIST SP 800-53 AC-6(1)", "NIST SP 800-53 AC-5", "ISO/IEC 27001:2022 A.8.2", "SOC 2 CC6.3"],
        remediation: "Keep role assignment with people who already hold the roles they can assign, and review what provisioners create.",
        triggering: [RuleExample("a Provisioner", ExampleSnapshot().huntress("prov@msp.example", "Provisioner").huntress("x@c1.example", "User", org: "10"),
            flags: ["prov@msp.example"])],
        nonTriggering: [
            RuleExample("an account Admin already holds everything", ExampleSnapshot().huntress("a@msp.example", "Admin")),
            RuleExample("an Instance Administrator is the top of its tenant", ExampleSnapshot().cortex("a@corp.example", "Instance Administrator")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        // Huntress: account-level roles that assign organization-level roles (the Provisioner).
        for g in c.grants(ofRoles: { $0?.level == .account && $0?.holds("roles.assign") == true && $0?.holds("users.org.manage") == true }) {
            guard let role = c.documentedRole(of: g), let account = c.account(of: g) else { continue }
            let holds = c.grants(of: g.principal, on: g.platform).compactMap { c.documentedRole(of: $0) }
            guard !holds.contains(where: { $0.level == .account && $0.name == "Admin" }) else { continue }
            let orgs = c.snapshot.organizations.filter { $0.platform == .huntress && $0.accountID == account }.map(\.id).sorted()
            out.append(Finding(
                rule: Self.description, platform: .huntress, account: account, principal: g.principal, role: role.name,
                message: "\(g.principal) holds \(role.name) and can create an organization-level Admin in every organization of account \(account) (\(orgs.count) organizations\(orgs.isEmpty ? "" : ": " + orgs.prefix(10).joined(separator: ", ")))",
                evidence: [.grant(g, "assigns any organization-level role, Admin included")]))
        }
        // Cortex: custom roles mapped to access management.
        for g in c.grants(ofRoles: { $0 == nil }) where g.platform == .cortexXDR {
            guard let caps = c.capabilities(of: g), !caps.isDisjoint(with: ["access.manage", "roles.assign"]) else { continue }
            out.append(Finding(
                rule: Self.description, platform: .cortexXDR, tenant: g.target, principal: g.principal, role: g.role,
                message: "\(g.principal) holds custom role '\(g.role)' with access management in \(g.target): it can make itself Instance Administrator",
                evidence: [.grant(g, "custom role mapped to access management")]))
        }
        return out
    }
}
