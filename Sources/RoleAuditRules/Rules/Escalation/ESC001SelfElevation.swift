import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// ESC-001: a principal who can give itself, or an account it creates, a role that reaches more
/// than it already holds.
public struct ESC001SelfElevation: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ESC-001", title: "Can self-elevate", category: .escalation, defaultSeverity: .critical,
        rationale: "A Huntress Provisioner can create organization-level users and assign any role, Admin included, in every organization: it can make itself (or a second account it controls) organization-level Admin anywhere, beyond what its own roles give. A Cortex role with access management (a custom role mapped to it) can do the same with Instance Administrator. Escalation means reaching more than one already holds: whoever already holds everything the reachable role gives (an account Admin; an Instance Administrator or Account Admin) is not reported.",
        seed: [
            .huntress(76, "Create, update, and remove org-level users, and assign any role (including Admin) at the org level"),
            .cortex(20, "the Instance Administrator can assign those roles with scopes to other users"),
            .cortex(9, "Managing users, roles, scopes, user groups, and authentication settings in Cortex XDR requires View/Edit RBAC permissions for Access Management"),
        ],
        frameworks: ["NIST SP 800-53 AC-6(1)", "NIST SP 800-53 AC-5", "ISO/IEC 27001:2022 A.8.2", "SOC 2 CC6.3"],
        remediation: "Keep role assignment with people who already hold the roles they can assign, and review what provisioners create.",
        triggering: [
            RuleExample("a Provisioner", ExampleSnapshot().huntress("prov@msp.example", "Provisioner").huntress("x@c1.example", "User", org: "10"),
                flags: ["prov@msp.example"]),
            RuleExample("a Responder with a custom role mapped to access management", ExampleSnapshot()
                .customRole("Access Desk", permissions: ["rbac_edit"]).cortex("desk@corp.example", "Access Desk").cortex("desk@corp.example", "Responder"),
                policy: { var p = Policy(); p.permissionMap = ["rbac_edit": ["access.manage"]]; return p }(), flags: ["desk@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("an account Admin already holds everything", ExampleSnapshot().huntress("a@msp.example", "Admin")),
            RuleExample("an Instance Administrator is the top of its tenant", ExampleSnapshot().cortex("a@corp.example", "Instance Administrator")),
            RuleExample("an Instance Administrator whose custom role also manages access reaches nothing new", ExampleSnapshot()
                .customRole("Access Desk", permissions: ["rbac_edit"]).cortex("a@corp.example", "Instance Administrator").cortex("a@corp.example", "Access Desk"),
                policy: { var p = Policy(); p.permissionMap = ["rbac_edit": ["access.manage"]]; return p }()),
            RuleExample("an Account Admin with the same custom role", ExampleSnapshot()
                .customRole("Access Desk", permissions: ["rbac_edit"]).cortex("g@corp.example", "Account Admin").cortex("g@corp.example", "Access Desk"),
                policy: { var p = Policy(); p.permissionMap = ["rbac_edit": ["access.manage"]]; return p }()),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        huntress(c) + cortex(c)
    }

    /// Account-level roles that create organization-level users with any role reach the
    /// organization-level Admin in every organization of the account.
    private func huntress(_ c: RuleContext) -> [Finding] {
        guard let top = c.catalog.role("Admin", on: .huntress, level: .organization) else { return [] }
        var out: [Finding] = []
        // The organizations of each account, listed once (not once per finding).
        var orgsOf: [String: [String]] = [:]
        for o in c.snapshot.organizations where o.platform == .huntress {
            if let a = o.accountID { orgsOf[a, default: []].append(o.id) }
        }
        orgsOf = orgsOf.mapValues { $0.sorted() }
        for g in c.grants(ofRoles: { $0?.level == .account && $0?.holds("roles.assign") == true && $0?.holds("users.org.manage") == true }) {
            guard g.platform == .huntress, let role = c.documentedRole(of: g), let account = c.account(of: g) else { continue }
            let held = c.capabilities(ofAll: c.grants(of: g.principal, on: g.platform).filter { $0.level == .account && $0.target == account })
            let gained = top.capabilities.subtracting(held).sorted()
            guard !gained.isEmpty else { continue }
            let orgs = orgsOf[account] ?? []
            out.append(Finding(
                rule: Self.description, platform: .huntress, account: account, principal: g.principal, role: role.name,
                message: "\(g.principal) holds \(role.name) and can create an organization-level Admin in every organization of account \(account) (\(orgs.count) organizations\(orgs.isEmpty ? "" : ": " + orgs.prefix(10).joined(separator: ", "))\(orgs.count > 10 ? ", ..." : "")), gaining \(Self.list(gained))",
                evidence: [.grant(g, "assigns any organization-level role, Admin included")]))
        }
        return out
    }

    /// Cortex grants with access management reach Instance Administrator in their tenant; an
    /// Account Admin already holds it in every tenant.
    private func cortex(_ c: RuleContext) -> [Finding] {
        guard let top = c.catalog.role("Instance Administrator", on: .cortexXDR) else { return [] }
        var out: [Finding] = []
        let assigners = c.grantsByRole { role in role.map { $0.platform == .cortexXDR && !$0.capabilities.isDisjoint(with: ["access.manage", "roles.assign"]) } ?? true }
        for (_, grants) in assigners {
            for g in grants where g.platform == .cortexXDR {
                guard let caps = c.capabilities(of: g), !caps.isDisjoint(with: ["access.manage", "roles.assign"]) else { continue }
                let mine = c.grants(of: g.principal, on: .cortexXDR)
                if mine.contains(where: { c.documentedRole(of: $0)?.name == "Account Admin" }) { continue }
                let held = c.capabilities(ofAll: mine.filter { $0.target == g.target })
                let gained = top.capabilities.subtracting(held).sorted()
                guard !gained.isEmpty else { continue }
                let custom = c.documentedRole(of: g) == nil
                out.append(Finding(
                    rule: Self.description, platform: .cortexXDR, tenant: g.target, principal: g.principal, role: g.role,
                    message: "\(g.principal) holds \(custom ? "custom role '\(g.role)'" : g.role) with access management in \(g.target): it can make itself Instance Administrator, gaining \(Self.list(gained))",
                    evidence: [.grant(g, custom ? "custom role mapped to access management" : "manages access")]))
            }
        }
        return out
    }

    /// The first capabilities and how many more.
    static func list(_ caps: [CapabilityID]) -> String {
        caps.prefix(6).map(\.rawValue).joined(separator: ", ") + (caps.count > 6 ? " and \(caps.count - 6) more" : "")
    }
}
