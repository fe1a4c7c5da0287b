import RoleAuditPolicy
import RoleAuditModel

/// SOD-002: user provisioning and security operations.
public struct SOD002ProvisioningAndSecurityOperations: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "SOD-002", title: "User provisioning and security operations", category: .separationOfDuties, defaultSeverity: .high,
        rationale: "Whoever creates users and chooses their roles (a Huntress Provisioner can create organization-level users with any role, Admin included) should not also operate the security tooling: together they can grant themselves or a confederate any power and act on it.",
        seed: [.huntress(76, "Create, update, and remove org-level users, and assign any role (including Admin) at the org level")],
        frameworks: Frameworks.separation,
        remediation: "Split the duties: provisioning with one person, operating roles with another.",
        triggering: [RuleExample("Provisioner plus Security Engineer", ExampleSnapshot()
            .huntress("lee@msp.example", "Provisioner").huntress("lee@msp.example", "Security Engineer"), flags: ["lee@msp.example"])],
        nonTriggering: [
            RuleExample("Provisioner alone", ExampleSnapshot().huntress("lee@msp.example", "Provisioner")),
            RuleExample("Provisioner plus Read-only", ExampleSnapshot()
                .huntress("lee@msp.example", "Provisioner").huntress("lee@msp.example", "Read-only")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        ConflictCheck(
            left: .init(capabilities: ["users.org.manage", "users.manage", "roles.assign", "access.manage"]),
            right: .init(capabilities: securityOperations)
        ).run(c).map { sodFinding(Self.description, c, $0.0, $0.1, $0.2, $0.3, "user provisioning", "security operations") }
    }
}
