import RoleAuditPolicy
import RoleAuditModel

/// SOD-001: billing and security operations.
public struct SOD001BillingAndSecurityOperations: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "SOD-001", title: "Billing and security operations", category: .separationOfDuties, defaultSeverity: .high,
        rationale: "Finance is a billing-only role; someone who pays the vendor and also isolates endpoints, adds exclusions or resolves incidents can both weaken protection and decide what the protection costs, with nobody in between.",
        seed: [.huntress(109, "Billing-only role for finance teams"), .huntress(110, "Limited to Billing and Invoices areas only")],
        frameworks: Frameworks.separation,
        remediation: "Keep billing with Finance users who hold no operating role; give operators a role without billing.",
        triggering: [RuleExample("Finance plus Security Engineer", ExampleSnapshot()
            .huntress("pat@msp.example", "Finance").huntress("pat@msp.example", "Security Engineer"), flags: ["pat@msp.example"])],
        nonTriggering: [
            RuleExample("Finance alone", ExampleSnapshot().huntress("pat@msp.example", "Finance")),
            RuleExample("Admin holds both by design (LP's business)", ExampleSnapshot()
                .huntress("pat@msp.example", "Admin").huntress("pat@msp.example", "Finance")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        ConflictCheck(left: .init(capabilities: ["billing.view", "billing.manage"]), right: .init(capabilities: securityOperations)).run(c).map {
            sodFinding(Self.description, c, $0.0, $0.1, $0.2, $0.3, "billing", "security operations")
        }
    }
}
