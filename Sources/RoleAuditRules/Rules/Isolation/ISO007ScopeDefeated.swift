import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// ISO-007: a scoped Scoped Agent Admin who also holds, in the same tenant, an unscoped role that
/// acts on endpoints: the scope no longer limits what the person can do.
public struct ISO007ScopeDefeated: Rule {
    public init() {}

    /// What SBAC's endpoint scope is there to limit (C:24: response and agent management).
    static let endpointActions: Set<CapabilityID> = [
        "response.actions", "endpoint.isolate", "response.live_terminal", "response.scripts", "response.file_ops", "action_center.use",
        "endpoints.manage", "agent.uninstall", "agent.install",
    ]

    public static let description = RuleDescription(
        id: "ISO-007", title: "Scope defeated", category: .isolation, defaultSeverity: .high,
        rationale: "SBAC exists so that a scoped administrator acts only on the endpoints of their scope: the Scoped Agent Admin's permissions are all limited to the endpoint scope assigned to the user, so that they cannot see or act on endpoints outside it. The same person holding, in the same tenant, a role with endpoint actions and no endpoint scope (directly or through any group: a Responder isolates, terminates and quarantines anywhere) can do on every endpoint what the scope was meant to confine.",
        seed: [
            .cortex(4, "SBAC refines the RBAC permissions by granting access only to the relevant data that the user requires for their designated role"),
            .cortex(24, "All permissions are limited to the endpoint scope assigned to the user"),
            .cortex(24, "SBAC ensures they cannot see or act on endpoints outside their assigned scope"),
        ],
        frameworks: Frameworks.isolation,
        remediation: "Remove the unscoped role, or give it the same endpoint scope (for a group, scope the group); if the person needs tenant-wide response, the Scoped Agent Admin grant is the one to drop.",
        triggering: [
            RuleExample("a scoped Scoped Agent Admin in a Responder group", ExampleSnapshot()
                .cortex("tech@corp.example", "Scoped Agent Admin", scope: ["Clinic East"])
                .group("SOC", role: "Responder", members: ["tech@corp.example"]), flags: ["tech@corp.example"]),
            RuleExample("a scoped Scoped Agent Admin who is also a direct Security Admin", ExampleSnapshot()
                .cortex("tech@corp.example", "Scoped Agent Admin", scope: ["Clinic East"]).cortex("tech@corp.example", "Security Admin"),
                flags: ["tech@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("a scoped Scoped Agent Admin who is also an Investigator (no endpoint actions)", ExampleSnapshot()
                .cortex("tech@corp.example", "Scoped Agent Admin", scope: ["Clinic East"]).group("SOC", role: "Investigator", members: ["tech@corp.example"])),
            RuleExample("the unscoped Responder is in another tenant", ExampleSnapshot()
                .cortex("tech@corp.example", "Scoped Agent Admin", tenant: "t1", scope: ["Clinic East"])
                .cortex("tech@corp.example", "Responder", tenant: "t2")),
            RuleExample("the Responder grant carries an endpoint scope too", ExampleSnapshot()
                .cortex("tech@corp.example", "Scoped Agent Admin", scope: ["Clinic East"]).cortex("tech@corp.example", "Responder", scope: ["Clinic East"])),
            RuleExample("without a scope it is ISO-004's", ExampleSnapshot()
                .cortex("tech@corp.example", "Scoped Agent Admin").group("SOC", role: "Responder", members: ["tech@corp.example"])),
        ],
        needs: [.platform(.cortexXDR)])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for scoped in c.grants(ofRoles: { $0?.scopeRequired == true }) {
            guard let role = c.documentedRole(of: scoped), role.scopeRequired, let scope = scoped.scope, scope.limitsEndpoints else { continue }
            let wide = c.grants(of: scoped.principal, on: scoped.platform).filter { g in
                g.target == scoped.target && !(g.scope?.limitsEndpoints ?? false)
                    && !(c.capabilities(of: g) ?? []).isDisjoint(with: Self.endpointActions)
            }
            guard !wide.isEmpty else { continue }
            let actions = c.capabilities(ofAll: wide).intersection(Self.endpointActions)
            // Only actions the documents state without doubt count as certain.
            let certain = wide.contains { g in
                guard let r = c.documentedRole(of: g) else { return true }
                return r.grants.contains { Self.endpointActions.contains($0.capability) && !$0.isAmbiguous }
            }
            let names = (scope.areas["endpoints"] ?? []).joined(separator: ", ")
            out.append(Finding(
                rule: Self.description, platform: scoped.platform, tenant: scoped.target, principal: scoped.principal, role: role.name,
                message: "\(scoped.principal) holds \(role.name) in \(scoped.target) limited to \(names), and also \(wide.map { "\($0.role) (\($0.path.label))" }.sorted().joined(separator: ", ")) with no endpoint scope: \(actions.map(\.rawValue).sorted().joined(separator: ", ")) on every endpoint of the tenant",
                evidence: [.grant(scoped, "scoped to \(names)")] + wide.map { .grant($0, "no endpoint scope") },
                assumptions: certain ? [] : ["the unscoped role's endpoint actions rest on the broader reading of a contested passage (roleaudit catalog --role shows it)"]))
        }
        return out
    }
}
