import RoleAuditCatalog
import RoleAuditPolicy
import RoleAuditModel

/// LP-001: more full administrators than the policy allows per Huntress account or Cortex tenant.
public struct LP001TooManyAdministrators: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-001", title: "Too many full administrators", category: .leastPrivilege, defaultSeverity: .medium,
        rationale: "Full administrators can change everything, including who else is an administrator. The Cortex documentation asks that the super-user role be limited to a very small number of trusted users; the Huntress account-level Admin has no functional restrictions. Each extra one widens the blast radius of a stolen session.",
        seed: [
            .cortex(19, "This role should be limited to a very small number of trusted users"),
            .huntress(48, "There are no functional restrictions on the Admin role"),
        ],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Reduce full administrators to the policy threshold (thresholds.max_full_admins, default 3): give the others the narrower role their work needs (Huntress Security Engineer; Cortex Privileged Security Admin or a scoped role).",
        triggering: [
            RuleExample("four Huntress account Admins", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("b@msp.example", "Admin").huntress("c@msp.example", "Admin")
                .huntress("d@msp.example", "Admin"), flags: ["account 1"]),
            RuleExample("Cortex: Account Admin and three Instance Administrators, one through a group", ExampleSnapshot()
                .cortex("a@corp.example", "Account Admin").cortex("b@corp.example", "Instance Administrator")
                .cortex("c@corp.example", "Instance Administrator").group("Admins", role: "Instance Administrator", members: ["d@corp.example"]),
                flags: ["tenant t1"]),
        ],
        nonTriggering: [
            RuleExample("three Admins is the default limit", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("b@msp.example", "Admin").huntress("c@msp.example", "Admin")
                .huntress("d@msp.example", "Security Engineer")),
            RuleExample("organization-level Admins are not account administrators", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("b@c1.example", "Admin", org: "10").huntress("c@c2.example", "Admin", org: "11")
                .huntress("d@c3.example", "Admin", org: "12").huntress("e@c4.example", "Admin", org: "13")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var admins: [String: [Grant]] = [:]  // "platform|scope" -> grants
        let full: (CatalogRole?) -> Bool = { role in
            guard let role else { return false }
            return role.platform == .huntress ? role.level == .account && role.name == "Admin"
                : ["Account Admin", "Instance Administrator"].contains(role.name)
        }
        for (_, grants) in c.grantsByRole(full) {
            for g in grants { admins["\(g.platform.rawValue)|\(g.target)", default: []].append(g) }
        }
        let limit = c.policy.maxFullAdmins
        return admins.keys.sorted().compactMap { key in
            let grants = admins[key] ?? []
            let people = Set(grants.map(\.principal))
            guard people.count > limit else { return nil }
            let huntress = key.hasPrefix("huntress|")
            let scope = String(key.split(separator: "|", maxSplits: 1).last ?? "")
            return Finding(
                rule: Self.description, platform: huntress ? .huntress : .cortexXDR, account: huntress ? scope : nil,
                tenant: huntress ? nil : scope,
                message: "\(people.count) full administrators in \(huntress ? "account" : "tenant") \(scope) (policy allows \(limit)): \(people.sorted().joined(separator: ", "))",
                evidence: c.evidence(grants.sorted { $0.principal < $1.principal }))
        }
    }
}
