import RoleAuditPolicy
import RoleAuditCatalog
import RoleAuditModel

/// CAT-001: a role label neither documented nor defined in the export.
public struct CAT001UnknownRole: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "CAT-001", title: "Unknown role", category: .catalog, defaultSeverity: .medium,
        rationale: "roleaudit can only judge roles it knows: those the vendors document and the custom roles an export defines. An unknown label (Huntress's API can return 'Admin-Read-only', which no document describes) gives access nobody can state.",
        seed: [.huntress(12, "| Permission | Admin | Security Engineer | Provisioner | User | Finance | Read-only |")],
        frameworks: Frameworks.accountManagement,
        remediation: "Replace the label with a documented role, or export the custom role's definition.",
        triggering: [RuleExample("Huntress 'Admin-Read-only'", ExampleSnapshot().huntress("legacy@msp.example", "Admin-Read-only"), flags: ["legacy@msp.example"])],
        nonTriggering: [
            RuleExample("documented roles", ExampleSnapshot().huntress("a@msp.example", "Read-only").cortex("b@corp.example", "Viewer")),
            RuleExample("a custom role the export defines", ExampleSnapshot()
                .customRole("Helpdesk", permissions: ["endpoint_view"]).cortex("b@corp.example", "Helpdesk")),
        ])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.grants(ofRoles: { $0 == nil }).compactMap { g in
            guard c.documentedRole(of: g) == nil, c.definedRole(of: g) == nil else { return nil }
            return Finding(
                rule: Self.description, platform: g.platform, account: g.platform == .huntress ? c.account(of: g) : nil,
                organization: g.platform == .huntress && g.level == .organization ? g.target : nil,
                tenant: g.platform == .cortexXDR ? g.target : nil, principal: g.principal, role: g.role,
                message: "\(g.principal) holds '\(g.role)', which neither the \(g.platform.displayName) documentation nor the export defines",
                evidence: c.evidence([g]))
        }
    }
}
