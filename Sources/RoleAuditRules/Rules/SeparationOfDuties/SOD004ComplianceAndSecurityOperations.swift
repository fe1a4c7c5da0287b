import RoleAuditPolicy
import RoleAuditModel

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
