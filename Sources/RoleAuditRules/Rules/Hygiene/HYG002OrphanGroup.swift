import RoleAuditPolicy
import RoleAuditModel

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
                // The role field holds the role the group gives, the group is the finding's subject
                // (as ISO-006's missing reference is): "group X" in the role column was no role.
                rule: Self.description, platform: g.platform, tenant: g.tenant, role: g.roles.sorted().joined(separator: ", "),
                subject: "group \(g.name)",
                message: "group '\(g.name)' in \(g.tenant) gives \(g.roles.joined(separator: ", ")) and has no members",
                evidence: [.note("defined in \(g.provenance)")])
        }
        let missing = c.snapshot.coverage.filter { $0.kind == .undefinedGroup }.map { issue in
            Finding(
                // No role is known for a group that was not exported; what is missing is the subject
                // (the role field held the reference, or the whole message).
                rule: Self.description, platform: issue.platform ?? .cortexXDR, tenant: issue.scope, subject: issue.reference ?? issue.detail,
                message: issue.detail, evidence: [.note("\(issue.record?.description ?? issue.file ?? "input"): \(issue.detail)")])
        }
        return empty + missing
    }
}
