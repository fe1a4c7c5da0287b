import RoleAuditPolicy
import RoleAuditModel

/// HYG-003: a user with no role at all.
public struct HYG003UserWithoutRole: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "HYG-003", title: "User with no role", category: .hygiene, defaultSeverity: .low,
        rationale: "Cortex requires every user to have a role or a group; a user with neither is left over from a removal and should be removed too, before a group change quietly gives it access.",
        seed: [.cortex(8, "All users must have at least one role or belong to at least one user group to be saved in the Cortex Gateway")],
        frameworks: Frameworks.accountManagement,
        remediation: "Remove the user from the tenant (or give it the role its work needs, if it is still in use).",
        triggering: [RuleExample("a user without role or group", ExampleSnapshot().cortex("gone@corp.example", nil), flags: ["gone@corp.example"])],
        nonTriggering: [RuleExample("a user with a role through a group", ExampleSnapshot().group("SOC", role: "Viewer", members: ["a@corp.example"]))])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        // Both lists are sorted: walk them together.
        var holders = c.sortedPrincipals.makeIterator()
        var next = holders.next()
        return c.allPrincipals.filter { p in
            let k = RuleContext.PrincipalKey(platform: p.platform, key: p.key)
            while let (h, _) = next, h < k { next = holders.next() }
            return next?.0 != k
        }.map { p in
            Finding(
                rule: Self.description, platform: p.platform, principal: p.key,
                message: "\(p.key) exists on \(p.platform.displayName) with no role and no group that gives one",
                evidence: [.record(p.source, "the user record: no role and no group that gives one")])
        }
    }
}
