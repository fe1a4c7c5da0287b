import RoleAuditPolicy
import RoleAuditCatalog
import RoleAuditModel

/// CAT-003: a custom-role permission string nobody has mapped.
public struct CAT003UnmappedPermission: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "CAT-003", title: "Unmapped custom-role permission", category: .catalog, defaultSeverity: .low,
        rationale: "roleaudit knows what a custom role gives only through the policy's permission_map. A permission string with no mapping is access the other rules cannot see.",
        seed: [.cortex(16, "To quickly see exactly which pages and actions a role allows, click on the role name")],
        frameworks: Frameworks.accountManagement,
        remediation: "Add the permission to permission_map with the capabilities it gives (roleaudit catalog lists them).",
        triggering: [RuleExample("an unmapped permission", ExampleSnapshot()
            .customRole("Helpdesk", permissions: ["endpoint_view", "mystery_toggle"]),
            policy: { var p = Policy(); p.permissionMap = ["endpoint_view": ["endpoints.view"]]; return p }(), flags: ["tenant t1"])],
        nonTriggering: [RuleExample("every permission mapped", ExampleSnapshot().customRole("Helpdesk", permissions: ["endpoint_view"]),
            policy: { var p = Policy(); p.permissionMap = ["endpoint_view": ["endpoints.view"]]; return p }())])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        customRoles(c).compactMap { role, holders in
            let unmapped = c.roles.unmappedPermissions(of: role)
            guard !unmapped.isEmpty else { return nil }
            return Finding(
                rule: Self.description, platform: role.platform, tenant: role.tenant, role: role.name,
                message: "custom role '\(role.name)' has \(unmapped.count) permission(s) no permission_map entry explains: \(unmapped.joined(separator: ", "))",
                evidence: [.note("defined in \(role.provenance)")] + c.evidence(holders) { "\($0.principal) holds it" })
        }
    }
}
