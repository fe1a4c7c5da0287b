import RoleAuditPolicy
import RoleAuditModel

/// LP-003: a privileged account that has never signed in.
public struct LP003PrivilegedNeverUsed: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "LP-003", title: "Privileged account never used", category: .leastPrivilege, defaultSeverity: .high,
        rationale: "A privileged account that has never signed in was granted access nobody needed yet, or is a spare kept for emergencies without the controls a break-glass account needs. Only a recorded 'never' counts: Huntress exports carry no last login, which is unknown.",
        seed: [.cortex(3, "users, based on their roles, are granted minimal access required to accomplish their tasks")],
        frameworks: Frameworks.accountReview,
        remediation: "Remove the role until the person needs it; for a break-glass account, document it and waive this finding with its mitigating control.",
        triggering: [
            RuleExample("Instance Administrator who never logged in", ExampleSnapshot()
                .cortex("spare@corp.example", "Instance Administrator", lastLogin: .never), flags: ["spare@corp.example"]),
        ],
        nonTriggering: [
            RuleExample("never logged in, read-only", ExampleSnapshot().cortex("v@corp.example", "Viewer", lastLogin: .never)),
            RuleExample("unknown last login", ExampleSnapshot().cortex("u@corp.example", "Instance Administrator", lastLogin: .unknown)),
        ],
        needs: [.lastLogin])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        c.privilegedGrantsByTarget(lastLogin: { $0 == .never }).map { who, _, tenant, gs in
            Finding(
                rule: Self.description, platform: who.platform, tenant: who.platform == .cortexXDR ? tenant : nil,
                principal: who.key,
                message: "\(who.key) holds \(Set(gs.map(\.role)).sorted().joined(separator: ", ")) in \(tenant) and has never signed in",
                evidence: [.record(c.principal(who.key, on: who.platform)?.source, "last login: never (the user record)")] + c.evidence(gs))
        }
    }
}
