import RoleAuditPolicy
import RoleAuditModel

/// LP-006: a privileged Cortex user who signs in with a local (CSP) account in a tenant whose other
/// users sign in by SSO.
public struct LP006PrivilegedLocalAccount: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-006", title: "Privileged local account", category: .leastPrivilege, defaultSeverity: .medium,
        rationale: "Where a tenant signs its users in through SSO, a privileged local (Customer Support Portal) account bypasses the identity provider's MFA, conditional access and off-boarding. Cortex Gateway cannot even edit SSO users, so the local account is managed on a separate path.",
        seed: [.cortex(8, "view users that have been created in the tenant using SSO (you cannot edit SSO users in Cortex Gateway)")],
        frameworks: Frameworks.authentication,
        remediation: "Move the person to an SSO account and remove the local one, or document it as break-glass and waive the finding.",
        triggering: [
            RuleExample("local Instance Administrator among SSO users", ExampleSnapshot()
                .cortex("local@corp.example", "Instance Administrator", userType: "CSP").cortex("a@corp.example", "Investigator")
                .cortex("b@corp.example", "Viewer"), flags: ["local@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("local but read-only", ExampleSnapshot()
                .cortex("local@corp.example", "Viewer", userType: "CSP").cortex("a@corp.example", "Investigator")),
            RuleExample("a tenant without SSO", ExampleSnapshot()
                .cortex("a@corp.example", "Instance Administrator", userType: "CSP").cortex("b@corp.example", "Viewer", userType: "CSP")),
        ],
        needs: [.platform(.cortexXDR)])

    static func isLocal(_ type: String?) -> Bool {
        guard let t = type?.lowercased() else { return false }
        return t == "csp" || t.contains("customer support portal")
    }

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var sso: [String: Int] = [:]
        var users: [String: Int] = [:]
        for (who, grants) in c.sortedPrincipals(on: .cortexXDR) {
            let principal = c.principal(who.key, on: who.platform)
            // API keys sign in by no means at all: they are not the tenant's users.
            guard principal?.kind != .nonHuman else { continue }
            let type = principal?.userType?.lowercased()
            for tenant in Set(grants.map(\.target)) {
                users[tenant, default: 0] += 1
                if type == "sso" { sso[tenant, default: 0] += 1 }
            }
        }
        return c.sortedPrincipals(on: .cortexXDR).flatMap { who, grants -> [Finding] in
            guard who.platform == .cortexXDR, let p = c.principal(who.key, on: who.platform), Self.isLocal(p.userType) else { return [] }
            return Dictionary(grouping: grants.filter { c.isPrivileged($0) }, by: \.target).sorted { $0.key < $1.key }.compactMap { tenant, gs in
                // "Whose other users sign in by SSO": most of the others do.
                let others = (users[tenant] ?? 1) - 1
                guard others > 0, 2 * (sso[tenant] ?? 0) > others else { return nil }
                return Finding(
                    rule: Self.description, platform: .cortexXDR, tenant: tenant, principal: who.key,
                    message: "\(who.key) signs in with a local account (\(p.userType ?? "CSP")) and holds \(Set(gs.map(\.role)).sorted().joined(separator: ", ")) in \(tenant), where \(sso[tenant] ?? 0) of \(others) other users sign in by SSO",
                    evidence: [.record(p.source, "user_type \(p.userType ?? "CSP"): a local account, not SSO")] + c.evidence(gs))
            }
        }
    }
}
