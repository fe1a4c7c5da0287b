import RoleAuditPolicy
import RoleAuditModel

/// The policy's own separation-of-duties conflicts, each reported under its own id.
enum PolicyConflictRule {
    static func evaluate(_ c: RuleContext) -> [Finding] {
        c.policy.conflicts.flatMap { conflict -> [Finding] in
            let d = RuleDescription(
                id: conflict.id, title: conflict.name, category: .separationOfDuties, defaultSeverity: conflict.severity,
                rationale: conflict.rationale, seed: [], frameworks: Frameworks.separation,
                remediation: "Split the two sides between different people.", triggering: [], nonTriggering: [])
            return ConflictCheck(
                left: .init(capabilities: Set(conflict.left.capabilities), roles: Set(conflict.left.roles)),
                right: .init(capabilities: Set(conflict.right.capabilities), roles: Set(conflict.right.roles))
            ).run(c).map { sodFinding(d, c, $0.0, $0.1, $0.2, $0.3, "one side", "the other side") }
        }
    }
}
