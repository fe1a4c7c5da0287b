import RoleAuditPolicy
import RoleAuditModel

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
