import RoleAuditPolicy
import Foundation
import RoleAuditModel

/// LP-002: a privileged user who has not signed in for longer than the policy allows.
public struct LP002DormantPrivilegedUser: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-002", title: "Dormant privileged user", category: .leastPrivilege, defaultSeverity: .high,
        rationale: "A privileged account nobody uses is one nobody watches: its credentials can be taken over without anyone noticing. Only exports that carry a last login can show it (Cortex); Huntress exports carry none, and an unknown last login is never counted as dormant.",
        seed: [.cortex(3, "users, based on their roles, are granted minimal access required to accomplish their tasks")],
        frameworks: Frameworks.accountReview,
        remediation: "Remove the role, or disable the user, when the last login is older than thresholds.dormant_days (default 90).",
        triggering: [
            RuleExample("Privileged Security Admin last seen 200 days ago", ExampleSnapshot()
                .cortex("old@corp.example", "Privileged Security Admin", lastLogin: .at(ExampleSnapshot.now.addingTimeInterval(-200 * 86_400))),
                flags: ["old@corp.example"]),
            RuleExample("privileged in a tenant last seen 200 days ago, signing in daily to another", ExampleSnapshot()
                .cortex("two@corp.example", "Viewer", tenant: "prod", status: "Active")
                .cortex("two@corp.example", "Privileged Security Admin", tenant: "dev",
                    lastLogin: .at(ExampleSnapshot.now.addingTimeInterval(-200 * 86_400)), status: "Active"),
                flags: ["two@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("privileged and seen yesterday", ExampleSnapshot().cortex("a@corp.example", "Instance Administrator")),
            RuleExample("privileged where seen yesterday, dormant only where read-only", ExampleSnapshot()
                .cortex("two@corp.example", "Viewer", tenant: "prod", lastLogin: .at(ExampleSnapshot.now.addingTimeInterval(-300 * 86_400)), status: "Active")
                .cortex("two@corp.example", "Instance Administrator", tenant: "dev", status: "Active")),
            RuleExample("dormant but read-only", ExampleSnapshot()
                .cortex("v@corp.example", "Viewer", lastLogin: .at(ExampleSnapshot.now.addingTimeInterval(-400 * 86_400)))),
            RuleExample("never logged in is LP-003's", ExampleSnapshot().cortex("n@corp.example", "Instance Administrator", lastLogin: .never)),
            RuleExample("Huntress: no last login is unknown, not dormant", ExampleSnapshot().huntress("a@msp.example", "Admin")),
        ],
        needs: [.lastLogin])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        let limit = TimeInterval(c.policy.dormantDays) * 86_400
        let dormant: (LastLogin) -> Bool = { if case .at(let last) = $0 { c.now.timeIntervalSince(last) > limit } else { false } }
        return c.privilegedGrantsByTarget(lastLogin: dormant).map { who, login, tenant, gs in
            let days = if case .at(let last) = login { Int(c.now.timeIntervalSince(last) / 86_400) } else { 0 }
            let when = if case .at(let last) = login { last.iso8601 } else { "unknown" }
            // The deciding value first, from the user record that holds it; then the grants.
            let record = Finding.Evidence.record(
                c.principal(who.key, on: who.platform)?.source, "last login \(when): \(days) days before the scan (policy: \(c.policy.dormantDays))")
            return Finding(
                rule: Self.description, platform: who.platform, tenant: who.platform == .cortexXDR ? tenant : nil,
                principal: who.key,
                message: "\(who.key) holds \(Set(gs.map(\.role)).sorted().joined(separator: ", ")) in \(tenant) and last signed in \(days) days ago (policy: \(c.policy.dormantDays))",
                evidence: [record] + c.evidence(gs))
        }
    }
}
