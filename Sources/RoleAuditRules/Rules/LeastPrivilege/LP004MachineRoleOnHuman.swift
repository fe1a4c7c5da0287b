import RoleAuditPolicy
import RoleAuditModel

/// LP-004: a machine-only role (Cortex Generic Collector) held by a user.
public struct LP004MachineRoleOnHuman: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-004", title: "Machine-only role on a human", category: .leastPrivilege, defaultSeverity: .high,
        rationale: "Generic Collector exists only to authenticate third-party scanners' API calls; the vendor says it is not intended for users. On a user account it means a person's login doubles as a service credential, or a service was given a person's account.",
        seed: [.cortex(52, "It is not intended for users"), .cortex(49, "Predefined roles designed for non-human, machine-to-machine authentication")],
        frameworks: Frameworks.accountManagement,
        remediation: "Give the scanner an API key with the Generic Collector role and remove the role from the user.",
        triggering: [
            RuleExample("a user holds Generic Collector", ExampleSnapshot().cortex("bot@corp.example", "Generic Collector"), flags: ["bot@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("an API key (non-human principal) holds it", {
                var s = ExampleSnapshot()
                s.snapshot.principals.append(Principal(platform: .cortexXDR, key: "key-17", kind: .nonHuman))
                s.snapshot.grants.append(Grant(platform: .cortexXDR, principal: "key-17", role: "Generic Collector", level: .tenant, target: "t1",
                    provenance: Provenance(file: "example", collection: "grants", index: 0)))
                return s
            }()),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.grants(ofRoles: { $0?.machineOnly == true }).compactMap { g in
            guard let role = c.documentedRole(of: g), role.machineOnly, c.principal(g.principal, on: g.platform)?.kind != .nonHuman else { return nil }
            return Finding(
                rule: Self.description, platform: g.platform, tenant: g.target, principal: g.principal, role: role.name,
                message: "\(g.principal) is a user and holds \(role.name), a role for API keys only", evidence: c.evidence([g]))
        }
    }
}
