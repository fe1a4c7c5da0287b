import Foundation
import RoleAuditCatalog
import RoleAuditModel
import RoleAuditPolicy

/// LP-009: an API key (or other non-human principal) holding a role meant for people, or a
/// privileged custom role; and, as hygiene, a key that never expires holding a privileged role.
public struct LP009APIKeyWithHumanRole: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-009", title: "API key with a human or privileged role", category: .leastPrivilege, defaultSeverity: .high,
        rationale: "The vendor separates predefined user roles from the roles designed for non-human, machine-to-machine authentication, whose one example gives an API key the minimum it needs: it can only ingest scan data. A key holding a role meant for people has a person's powers without a person's controls (no sign-in, no MFA, no leaver process): high when the role is privileged, medium otherwise; a custom role on a key is reported when it maps to privileged capabilities. Separately, and as hygiene rather than the vendor's word (the seed says nothing of key expiry), a key that never expires and holds a privileged role is reported at medium.",
        seed: [
            .cortex(10, "Predefined user roles"),
            .cortex(49, "Predefined roles designed for non-human, machine-to-machine authentication within the tenant"),
            .cortex(52, "It follows the principle of least privilege; the API key can only ingest scan data"),
        ],
        frameworks: Frameworks.leastPrivilege + ["NIST SP 800-53 IA-5", "CIS Controls v8 5.5"],
        remediation: "Give the key a role made for its integration (a custom role with only the permissions the integration calls, or Generic Collector for a scanner); set an expiration on keys that keep a privileged role, and rotate them.",
        triggering: [
            RuleExample("a SOAR key with Instance Administrator that never expires", ExampleSnapshot()
                .apiKey("23", roles: ["Instance Administrator"], expiration: .never), flags: ["api-key:t1:23"]),
            RuleExample("a key with Viewer (a user role, medium)", ExampleSnapshot().apiKey("5", roles: ["Viewer"]), flags: ["api-key:t1:5"]),
        ],
        nonTriggering: [
            RuleExample("a scanner key with Generic Collector that never expires", ExampleSnapshot()
                .apiKey("17", roles: ["Generic Collector"], expiration: .never)),
            RuleExample("a key with a narrow custom role", ExampleSnapshot()
                .customRole("Ticket Sync", permissions: ["incidents_view"]).apiKey("8", roles: ["Ticket Sync"]),
                policy: { var p = Policy(); p.permissionMap = ["incidents_view": ["incidents.view"]]; return p }()),
            RuleExample("a person with Instance Administrator is not a key", ExampleSnapshot().cortex("a@corp.example", "Instance Administrator")),
        ],
        needs: [.platform(.cortexXDR)])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for (who, grants) in c.sortedPrincipals(on: .cortexXDR) {
            guard let p = c.principal(who.key, on: who.platform), p.kind == .nonHuman else { continue }
            let label = p.apiKey.map { key in
                "API key \(key.id)" + (key.createdBy.map { ", created by \($0)" } ?? "") + (key.comment.map { ", \"\($0)\"" } ?? "")
            } ?? who.key
            for (tenant, held) in Dictionary(grouping: grants, by: \.target).sorted(by: { $0.key < $1.key }) {
                // Roles for people: documented, not machine-only. Custom roles: when privileged.
                let human = held.filter { g in
                    if let role = c.documentedRole(of: g) { return !role.machineOnly }
                    return c.isPrivileged(g)
                }
                let privileged = held.filter { c.isPrivileged($0) }
                if !human.isEmpty {
                    let names = Set(human.map(\.role)).sorted().joined(separator: ", ")
                    let isPrivileged = human.contains { c.isPrivileged($0) }
                    out.append(Finding(
                        rule: Self.description, platform: .cortexXDR, tenant: tenant, principal: who.key, role: "roles for people",
                        message: "\(label) holds \(names) in \(tenant): \(isPrivileged ? "privileged " : "")roles for people, where the vendor gives keys machine-to-machine roles",
                        evidence: c.evidence(human) { "\($0.role) (\(c.documentedRole(of: $0) == nil ? "custom" : "predefined user role"))" },
                        severity: isPrivileged ? .high : .medium))
                }
                if case .never? = p.apiKey?.expiration, !privileged.isEmpty {
                    out.append(Finding(
                        rule: Self.description, platform: .cortexXDR, tenant: tenant, principal: who.key, role: "never expires",
                        message: "\(label) never expires and holds privileged \(Set(privileged.map(\.role)).sorted().joined(separator: ", ")) in \(tenant)",
                        evidence: c.evidence(privileged) { "\($0.role); expiration: none" },
                        assumptions: ["hygiene, not the vendor's word: the seed says nothing about key expiry; a privileged credential that never expires outlives its purpose unnoticed"],
                        severity: .medium))
                }
            }
        }
        return out
    }
}
