import RoleAuditPolicy
import RoleAuditModel

/// HYG-001: a Huntress account nobody can answer escalations for.
public struct HYG001NoEscalationResponder: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "HYG-001", title: "No escalation responder", category: .hygiene, defaultSeverity: .high,
        rationale: "Huntress makes account-level Admins and Security Engineers ultimately responsible for responding to escalations; an account with neither has nobody who can act when the SOC escalates.",
        seed: [.huntress(122, "Account-level Admins and Security Engineers are ultimately responsible for responding to Escalations across the account")],
        frameworks: ["NIST SP 800-53 IR-7", "ISO/IEC 27001:2022 A.5.24", "SOC 2 CC7.4"],
        remediation: "Give at least one person account-level Security Engineer (or Admin).",
        triggering: [RuleExample("an account with only Read-only and Finance", ExampleSnapshot()
            .huntress("a@msp.example", "Read-only").huntress("b@msp.example", "Finance"), flags: ["account 1"])],
        nonTriggering: [RuleExample("a Security Engineer", ExampleSnapshot()
            .huntress("a@msp.example", "Read-only").huntress("b@msp.example", "Security Engineer"))],
        needs: [.platform(.huntress)])

    public func evaluate(_ c: RuleContext) -> [Finding] {
        var responders = Set<String>()
        for g in c.grants(ofRoles: { $0?.platform == .huntress && $0?.level == .account }) {
            if c.documentedRole(of: g)?.holds("escalations.respond") == true { responders.insert(g.target) }
        }
        return c.snapshot.accounts.filter { $0.platform == .huntress && !responders.contains($0.id) }.map { a in
            Finding(
                rule: Self.description, platform: .huntress, account: a.id,
                message: "account \(a.id)\(a.name.map { " (\($0))" } ?? "") has no account-level Admin or Security Engineer to respond to escalations",
                evidence: [.note("no account-level Admin or Security Engineer membership in the export")])
        }
    }
}
