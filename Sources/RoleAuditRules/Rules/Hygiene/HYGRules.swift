import RoleAuditPolicy
import RoleAuditModel

/// HYG-001: a Huntress account nobody can answer escalations for.
public struct HYG001NoEscalationResponder: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "HYG-001", title: "No escalation responder", category: .hygiene, defaultSeverity: .high,
        rationale: "Huntress makes account-level Admins and Security Engineers ultimately responsible for responding to escalations; an account with neither has nobody who can act when the SOC escalates.",
        seed: [.huntress(122, "Account-level Admins and Security Engineers are ultimately responsible for responding to Escalations across the account")],
        frameworks: ["NIST SP 800-53 IR-7", "ISO/IEC 27001:2022 A.5.24", "SOC 2 CC7.4"],
        remediation: "Give at least one person account-level Security Engineer (or Admin).",
        triggering: [RuleExample("an account with only Read-only and Finance", ExampleSnapshot()
            .huntress("a@msp.example", "Read-only").huntress("b@msp.example", "Finance"), flags: ["account 1"])],
        nonTriggering: [RuleExample("a Security Engineer", ExampleSnapshot()
            .huntress("a@msp.example", "Read-only").huntress("b@msp.example", "Security Engineer"))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var responders = Set<String>()
        for g in c.grants(ofRoles: { $0?.platform == .huntress && $0?.level == .account }) {
            if c.documentedRole(of: g)?.holds("escalations.respond") == true { responders.insert(g.target) }
        }
        return c.snapshot.accounts.filter { $0.platform == .huntress && !responders.contains($0.id) }.map { a in
            Finding(
                rule: Self.description, platform: .huntress, account: a.id,
                message: "account \(a.id)\(a.name.map { " (\($0))" } ?? "") has no account-level Admin or Security Engineer to respond to escalations",
                evidence: [.note("no account-level Admin or Security Engineer membership in the export")])
        }
    }
}

/// HYG-002: a group with a role and no members, or a group referenced but not exported.
public struct HYG002OrphanGroup: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "HYG-002", title: "Orphan or empty group", category: .hygiene, defaultSeverity: .low,
        rationale: "An empty group that carries a role is access waiting for whoever is added next, often without review; a group referenced but not exported hides who is in it. Groups filled by SAML mapping (idp_groups) are not empty: their members arrive at sign-in.",
        seed: [.cortex(8, "All users must have at least one role or belong to at least one user group")],
        frameworks: Frameworks.accountManagement,
        remediation: "Delete the empty group or remove its role; export the referenced group.",
        triggering: [RuleExample("an empty group holding Instance Administrator", ExampleSnapshot()
            .group("Break Glass", role: "Instance Administrator", members: []), flags: ["tenant t1"])],
        nonTriggering: [
            RuleExample("a group with members", ExampleSnapshot().group("SOC", role: "Investigator", members: ["a@corp.example"])),
            RuleExample("a group filled by SAML mapping", ExampleSnapshot().group("SOC", role: "Investigator", members: [], idp: ["SOC-Analysts"])),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        // Members can also arrive through nested groups or SAML mapping.
        let empty = c.snapshot.groups.filter { !$0.roles.isEmpty && $0.members.isEmpty && $0.idpGroups.isEmpty && $0.nestedGroups.isEmpty }.map { g in
            Finding(
                rule: Self.description, platform: g.platform, tenant: g.tenant, role: "group \(g.name)",
                message: "group '\(g.name)' in \(g.tenant) gives \(g.roles.joined(separator: ", ")) and has no members",
                evidence: [.note("defined in \(g.provenance)")])
        }
        let missing = c.snapshot.coverage.filter { $0.kind == .undefinedGroup }.map { issue in
            Finding(
                rule: Self.description, platform: issue.platform ?? .cortexXDR, tenant: issue.scope, role: issue.detail,
                message: issue.detail, evidence: [.note("\(issue.file ?? "input"): \(issue.detail)")])
        }
        return empty + missing
    }
}

/// HYG-003: a user with no role at all.
public struct HYG003UserWithoutRole: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "HYG-003", title: "User with no role", category: .hygiene, defaultSeverity: .low,
        rationale: "Cortex requires every user to have a role or a group; a user with neither is left over from a removal and should be removed too, before a group change quietly gives it access.",
        seed: [.cortex(8, "All users must have at least one role or belong to at least one user group to be saved in the Cortex Gateway")],
        frameworks: Frameworks.accountManagement,
        remediation: "Remove the user from the tenant (or give it the role its work needs, if it is still in use).",
        triggering: [RuleExample("a user without role or group", ExampleSnapshot().cortex("gone@corp.example", nil), flags: ["gone@corp.example"])],
        nonTriggering: [RuleExample("a user with a role through a group", ExampleSnapshot().group("SOC", role: "Viewer", members: ["a@corp.example"]))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        // Both lists are sorted: walk them together.
        var holders = c.sortedPrincipals.makeIterator()
        var next = holders.next()
        return c.allPrincipals.filter { p in
            let k = RuleContext.PrincipalKey(platform: p.platform, key: p.key)
            while let (h, _) = next, h < k { next = holders.next() }
            return next?.0 != k
        }.map { p in
            Finding(
                rule: Self.description, platform: p.platform, principal: p.key,
                message: "\(p.key) exists on \(p.platform.displayName) with no role and no group that gives one",
                evidence: [.note("no grant in the export")])
        }
    }
}
