import RoleAuditPolicy
import RoleAuditModel

/// ISO-006: a grant that points at something the export does not contain.
public struct ISO006DanglingReference: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-006", title: "Dangling reference", category: .isolation, defaultSeverity: .medium,
        rationale: "A grant to an organization, group or role the export does not contain cannot be judged: what it gives, and to whom, is unknown. It also often marks access left behind by a deleted or moved organization.",
        seed: [.cortex(8, "All users must have at least one role or belong to at least one user group")],
        frameworks: Frameworks.accountManagement,
        remediation: "Export the missing organization, group or role, or remove the reference.",
        triggering: [
            RuleExample("a user in a group that was not exported", ExampleSnapshot()
                .cortex("a@corp.example", "Viewer").coverage(.undefinedGroup, "user 'a@corp.example' is in group 'Ghost', which was not exported"),
                flags: ["tenant t1"]),
            RuleExample("an organization under two accounts", ExampleSnapshot()
                .huntress("a@msp.example", "Admin").coverage(.foreignOrganization, "organization 9 belongs to account 2 but memberships place it under account 1", platform: .huntress, scope: "2"),
                flags: ["account 2"]),
        ],
        nonTriggering: [RuleExample("complete input", ExampleSnapshot().cortex("a@corp.example", "Viewer"))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.snapshot.coverage.compactMap { issue in
            guard [.undefinedGroup, .undefinedRole, .undefinedOrganization, .foreignOrganization].contains(issue.kind), let platform = issue.platform
            else { return nil }
            return Finding(
                rule: Self.description, platform: platform, account: platform == .huntress ? issue.scope : nil,
                tenant: platform == .cortexXDR ? issue.scope : nil, role: issue.detail,
                message: issue.detail, evidence: [.note("\(issue.file ?? "input"): \(issue.detail)")])
        }
    }
}
