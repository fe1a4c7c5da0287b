import RoleAuditPolicy
import RoleAuditModel

/// Builds a separation-of-duties finding from a conflict.
private func sodFinding(
    _ d: RuleDescription, _ c: RuleContext, _ who: RuleContext.PrincipalKey, _ scope: String, _ left: [Grant], _ right: [Grant],
    _ leftName: String, _ rightName: String
) -> Finding {
    let l = Set(left.map(\.role)).sorted().joined(separator: ", ")
    let r = Set(right.map(\.role)).sorted().joined(separator: ", ")
    return Finding(
        rule: d, platform: who.platform, account: who.platform == .huntress ? scope : nil,
        tenant: who.platform == .cortexXDR ? scope : nil, principal: who.key, role: ([l, r]).joined(separator: " + "),
        message: "\(who.key) holds \(leftName) (\(l)) and \(rightName) (\(r)) through different grants in \(who.platform == .huntress ? "account" : "tenant") \(scope)",
        evidence: left.map { .grant($0, leftName) } + right.map { .grant($0, rightName) })
}

private let securityOperations: Set<CapabilityID> = [
    "endpoint.isolate", "exclusions.manage", "incidents.resolve", "escalations.respond", "response.actions", "remediation.approve",
]

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

/// SOD-003: development and application-security governance.
public struct SOD003DevelopmentAndAppSecGovernance: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "SOD-003", title: "Development and application-security governance", category: .separationOfDuties, defaultSeverity: .medium,
        rationale: "The vendor gives developers visibility 'while keeping security governance in the hands of the AppSec Admin': a developer who is also AppSec Admin writes the code and the rules that judge it.",
        seed: [.cortex(37, "while keeping security governance in the hands of the AppSec Admin"), .cortex(39, "without the ability to weaken security policies")],
        frameworks: Frameworks.separation,
        remediation: "Keep AppSec Admin with the application-security team; developers keep Developer or DevSecOps.",
        triggering: [RuleExample("Developer plus AppSec Admin through a group", ExampleSnapshot()
            .cortex("dev@corp.example", "Developer").group("AppSec", role: "AppSec Admin", members: ["dev@corp.example"]), flags: ["dev@corp.example"])],
        nonTriggering: [RuleExample("DevSecOps alone", ExampleSnapshot().cortex("dev@corp.example", "DevSecOps"))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        ConflictCheck(left: .init(roles: ["Developer", "DevSecOps"]), right: .init(roles: ["AppSec Admin"])).run(c).map {
            sodFinding(Self.description, c, $0.0, $0.1, $0.2, $0.3, "development", "application-security governance")
        }
    }
}

/// SOD-004: compliance oversight and security operations.
public struct SOD004ComplianceAndSecurityOperations: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "SOD-004", title: "Compliance oversight and security operations", category: .separationOfDuties, defaultSeverity: .high,
        rationale: "The Compliance Administrator audits the controls with read-only visibility into operations; if the same person responds to cases, edits detection rules or edits policies, they audit their own work.",
        seed: [.cortex(40, "No edit permissions on anything except compliance features"), .cortex(40, "Having read-only visibility into the broader security operations helps to understand context")],
        frameworks: Frameworks.separation,
        remediation: "Keep Compliance Administrator with people who hold no operating role.",
        triggering: [RuleExample("Compliance Administrator plus Privileged Responder", ExampleSnapshot()
            .cortex("rita@corp.example", "Compliance Administrator").group("Tier3", role: "Privileged Responder", members: ["rita@corp.example"]),
            flags: ["rita@corp.example"])],
        nonTriggering: [RuleExample("Compliance Administrator plus Viewer", ExampleSnapshot()
            .cortex("rita@corp.example", "Compliance Administrator").group("All", role: "Viewer", members: ["rita@corp.example"]))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        ConflictCheck(
            left: .init(roles: ["Compliance Administrator"]),
            right: .init(capabilities: ["response.actions", "endpoint.isolate", "detection_rules.edit", "policies.edit"])
        ).run(c).map { sodFinding(Self.description, c, $0.0, $0.1, $0.2, $0.3, "compliance oversight", "security operations") }
    }
}

/// The policy's own separation-of-duties conflicts, each reported under its own id.
enum PolicyConflictRule {
    static func evaluate(_ c: RuleContext) -> [Finding] {
        c.policy.conflicts.flatMap { conflict -> [Finding] in
            let d = RuleDescription(
                id: conflict.id, title: conflict.name, category: .separationOfDuties, defaultSeverity: conflict.severity,
                rationale: conflict.rationale, seed: [], frameworks: Frameworks.separation,
                remediation: "Split the two sides between different people.", triggering: [], nonTriggering: [])
            return ConflictCheck(
                left: .init(capabilities: Set(conflict.left.capabilities), roles: Set(conflict.left.roles)),
                right: .init(capabilities: Set(conflict.right.capabilities), roles: Set(conflict.right.roles))
            ).run(c).map { sodFinding(d, c, $0.0, $0.1, $0.2, $0.3, "one side", "the other side") }
        }
    }
}
