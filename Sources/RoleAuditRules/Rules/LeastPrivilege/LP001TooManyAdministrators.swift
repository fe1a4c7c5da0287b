import RoleAuditCatalog
import RoleAuditPolicy
import RoleAuditModel

/// LP-001: more full administrators than the policy allows per Huntress account or Cortex tenant.
public struct LP001TooManyAdministrators: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-001", title: "Too many administrators", category: .leastPrivilege, defaultSeverity: .medium,
        rationale: "Full administrators can change everything, including who else is an administrator. The Cortex documentation asks that the super-user role be limited to a very small number of trusted users, and that the Identity Security Administrator, the most privileged identity security role, be assigned sparingly; the Huntress account-level Admin has no functional restrictions. Each extra holder widens the blast radius of a stolen session. Full administrators (Huntress account Admins; Cortex Account Admins and Instance Administrators) are counted per account or tenant, and Identity Security Administrators per tenant on their own, both against thresholds.max_full_admins: one threshold, because both lines ask the same thing of a role (few holders), and a separate key would only be another number to keep in step.",
        seed: [
            .cortex(19, "This role should be limited to a very small number of trusted users"),
            .cortex(48, "This is the most privileged identity security role and should be assigned sparingly, following the principle of least privilege"),
            .huntress(48, "There are no functional restrictions on the Admin role"),
        ],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Reduce the holders to the policy threshold (thresholds.max_full_admins, default 3): give the others the narrower role their work needs (Huntress Security Engineer; Cortex Privileged Security Admin or a scoped role; Identity Security Viewer or Identity Security Runtime Administrator for identity work).",
        triggering: [
            RuleExample("four Huntress account Admins", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("b@msp.example", "Admin").huntress("c@msp.example", "Admin")
                .huntress("d@msp.example", "Admin"), flags: ["account 1"]),
            RuleExample("Cortex: Account Admin and three Instance Administrators, one through a group", ExampleSnapshot()
                .cortex("a@corp.example", "Account Admin").cortex("b@corp.example", "Instance Administrator")
                .cortex("c@corp.example", "Instance Administrator").group("Admins", role: "Instance Administrator", members: ["d@corp.example"]),
                flags: ["tenant t1"]),
            RuleExample("four Identity Security Administrators in one tenant", ExampleSnapshot()
                .cortex("a@corp.example", "Identity Security Administrator").cortex("b@corp.example", "Identity Security Administrator")
                .group("IAM", role: "Identity Security Administrator", members: ["c@corp.example", "d@corp.example"]),
                flags: ["tenant t1"]),
        ],
        nonTriggering: [
            RuleExample("three Admins is the default limit", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("b@msp.example", "Admin").huntress("c@msp.example", "Admin")
                .huntress("d@msp.example", "Security Engineer")),
            RuleExample("organization-level Admins are not account administrators", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").huntress("b@c1.example", "Admin", org: "10").huntress("c@c2.example", "Admin", org: "11")
                .huntress("d@c3.example", "Admin", org: "12").huntress("e@c4.example", "Admin", org: "13")),
            RuleExample("two full administrators and two Identity Security Administrators are counted apart", ExampleSnapshot()
                .cortex("a@corp.example", "Instance Administrator").cortex("b@corp.example", "Instance Administrator")
                .cortex("c@corp.example", "Identity Security Administrator").cortex("d@corp.example", "Identity Security Administrator")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        let full: (CatalogRole?) -> Bool = { role in
            guard let role else { return false }
            return role.platform == .huntress ? role.level == .account && role.name == "Admin"
                : ["Account Admin", "Instance Administrator"].contains(role.name)
        }
        // C:48: "the most privileged identity security role ... should be assigned sparingly".
        let identity: (CatalogRole?) -> Bool = { $0?.platform == .cortexXDR && $0?.name == "Identity Security Administrator" }
        return count(c, full, role: nil, what: "full administrators") + count(c, identity, role: "Identity Security Administrator", what: "Identity Security Administrators")
    }

    /// Holders of the roles `test` accepts, per Huntress account or Cortex tenant, against the threshold.
    private func count(_ c: RuleContext, _ test: (CatalogRole?) -> Bool, role: String?, what: String) -> [Finding] {
        var holders: [PlaceID: [Grant]] = [:]
        // People: an API key with an administrator role is LP-009's.
        for (_, grants) in c.grantsByRole(test) {
            for g in grants where c.principal(g.principal, on: g.platform)?.kind != .nonHuman {
                holders[PlaceID(platform: g.platform, id: g.target), default: []].append(g)
            }
        }
        let limit = c.policy.maxFullAdmins
        return holders.keys.sorted().compactMap { key in
            let grants = holders[key] ?? []
            let people = Set(grants.map(\.principal))
            guard people.count > limit else { return nil }
            let huntress = key.platform == .huntress
            let scope = key.id
            return Finding(
                rule: Self.description, platform: huntress ? .huntress : .cortexXDR, account: huntress ? scope : nil,
                tenant: huntress ? nil : scope, role: role,
                message: "\(people.count) \(what) in \(huntress ? "account" : "tenant") \(scope) (policy allows \(limit)): \(people.sorted().joined(separator: ", "))",
                evidence: c.evidence(grants.sorted { $0.principal < $1.principal }))
        }
    }
}
