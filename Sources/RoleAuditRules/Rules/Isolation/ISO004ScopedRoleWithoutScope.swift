import RoleAuditPolicy
import RoleAuditModel

/// ISO-004: a role that needs an SBAC scope, held without one.
public struct ISO004ScopedRoleWithoutScope: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "ISO-004", title: "Scoped role without a scope", category: .isolation, defaultSeverity: .high,
        rationale: "Scoped Agent Admin is designed for SBAC: its permissions are meant to be limited to the endpoint scope assigned to the user. With no scope, the role acts on every endpoint of the tenant.",
        seed: [.cortex(24, "Scoped Agent Admin is designed for SBAC. All permissions are limited to the endpoint scope assigned to the user")],
        frameworks: Frameworks.isolation,
        remediation: "Assign the endpoint scope (region, business unit or customer) the role is meant for.",
        triggering: [RuleExample("Scoped Agent Admin without scope", ExampleSnapshot().cortex("tech@corp.example", "Scoped Agent Admin"), flags: ["tech@corp.example"])],
        nonTriggering: [RuleExample("with an endpoint scope", ExampleSnapshot().cortex("tech@corp.example", "Scoped Agent Admin", scope: ["Clinic East"]))],
        needs: [.platform(.cortexXDR)])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.grants(ofRoles: { $0?.scopeRequired == true }).compactMap { g in
            guard let role = c.documentedRole(of: g), role.scopeRequired, !(g.scope?.limitsEndpoints ?? false) else { return nil }
            return Finding(
                rule: Self.description, platform: g.platform, tenant: g.target, principal: g.principal, role: role.name,
                message: "\(g.principal) holds \(role.name) in \(g.target) with no endpoint scope: it reaches every endpoint of the tenant",
                evidence: c.evidence([g]))
        }
    }
}
