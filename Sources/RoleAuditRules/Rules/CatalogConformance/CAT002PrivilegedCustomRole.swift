import RoleAuditPolicy
import RoleAuditCatalog
import RoleAuditModel

/// CAT-002: a custom role whose mapped permissions are privileged.
public struct CAT002PrivilegedCustomRole: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "CAT-002", title: "Custom role with privileged permissions", category: .catalog, defaultSeverity: .high,
        rationale: "Custom roles are copies of predefined ones, edited; what they grant is not in any vendor document. Mapped through the policy's permission_map, a custom role with privileged capabilities deserves the same scrutiny as the predefined role it resembles.",
        seed: [.cortex(12, "they can be copied and customized to meet your organization's specific security requirements")],
        frameworks: Frameworks.leastPrivilege,
        remediation: "Compare the custom role with the nearest predefined role named in the finding; remove what the job does not need.",
        triggering: [RuleExample("a helpdesk role that opens Live Terminal", ExampleSnapshot()
            .customRole("Helpdesk", permissions: ["endpoint_view", "live_terminal"]).cortex("h@corp.example", "Helpdesk"),
            policy: { var p = Policy(); p.permissionMap = ["endpoint_view": ["endpoints.view"], "live_terminal": ["response.live_terminal"]]; return p }(),
            flags: ["tenant t1"])],
        nonTriggering: [RuleExample("a read-only custom role", ExampleSnapshot()
            .customRole("Watcher", permissions: ["endpoint_view"]).cortex("h@corp.example", "Watcher"),
            policy: { var p = Policy(); p.permissionMap = ["endpoint_view": ["endpoints.view"]]; return p }())])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        customRoles(c).compactMap { role, holders in
            let caps = c.roles.capabilities(of: role)
            let privileged = caps.filter { c.catalog.tier(of: $0) == .privileged }.sorted()
            guard !privileged.isEmpty else { return nil }
            // Nearest predefined role: the most shared capabilities, the fewest extra.
            let nearest = c.catalog.roles(on: role.platform).max { a, b in
                let sa = (a.capabilities.intersection(caps).count, -a.capabilities.subtracting(caps).count, a.name)
                let sb = (b.capabilities.intersection(caps).count, -b.capabilities.subtracting(caps).count, b.name)
                return (sa.0, sa.1) < (sb.0, sb.1) || ((sa.0, sa.1) == (sb.0, sb.1) && sa.2 > sb.2)
            }
            return Finding(
                rule: Self.description, platform: role.platform, tenant: role.tenant, role: role.name,
                message: "custom role '\(role.name)' gives privileged capabilities \(privileged.map(\.rawValue).joined(separator: ", ")); nearest predefined role: \(nearest?.name ?? "none")",
                evidence: [.note("defined in \(role.provenance) with permissions \(role.permissions.joined(separator: ", "))")]
                    + c.evidence(holders) { "\($0.principal) holds it" })
        }
    }
}
